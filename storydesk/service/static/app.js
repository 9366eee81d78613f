// storydesk web app: in-place citations, fact filters, live story updates (server-sent events) and
// upload progress. Loaded from this server only (CSP script-src 'self'); every page works without it.
"use strict";

// A citation marker opens the cited sentence of its report in place (without script it links to the source).
document.addEventListener("click", (event) => {
  const cite = event.target.closest("a.cite[aria-controls]");
  if (!cite) return;
  const panel = document.getElementById(cite.getAttribute("aria-controls"));
  if (!panel) return;
  event.preventDefault();
  const open = panel.hidden;
  panel.hidden = !open;
  cite.setAttribute("aria-expanded", String(open));
});

// Fact sheet filters by status (without script the links filter on the server).
function applyFilter(root, status) {
  root.querySelectorAll("li.fact").forEach((li) => {
    li.hidden = status !== "all" && li.dataset.status !== status;
  });
  root.querySelectorAll("a.filter").forEach((a) => {
    a.setAttribute("aria-pressed", String(a.dataset.filter === status));
  });
}
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.filter[data-filter]");
  if (!link) return;
  event.preventDefault();
  const sheet = link.closest(".fact-sheet");
  applyFilter(sheet, link.dataset.filter);
  const url = new URL(location.href);
  if (link.dataset.filter === "all") url.searchParams.delete("status");
  else url.searchParams.set("status", link.dataset.filter);
  history.replaceState(null, "", url.pathname + url.search + "#facts");
});

// Live update: when the story is saved again, fetch its page and swap the story in, marking what is new.
function sourceKeys(root) {
  return new Set([...root.querySelectorAll("ol.sources > li")].map((li) => li.textContent.trim()));
}
function factStates(root) {
  return new Map([...root.querySelectorAll("li.fact")].map((li) => [li.dataset.factKey, li.dataset.factState]));
}
async function refreshStory(story, status) {
  const response = await fetch(location.pathname, { headers: { Accept: "text/html" }, cache: "no-store" });
  if (!response.ok) return story;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("story");
  if (!fresh) return story;
  const oldSources = sourceKeys(story);
  const oldFacts = factStates(story);
  let newSources = 0;
  let changedFacts = 0;
  fresh.querySelectorAll("ol.sources > li").forEach((li) => {
    if (!oldSources.has(li.textContent.trim())) { li.classList.add("arrived"); newSources += 1; }
  });
  fresh.querySelectorAll("li.fact").forEach((li) => {
    if (oldFacts.get(li.dataset.factKey) !== li.dataset.factState) { li.classList.add("changed"); changedFacts += 1; }
  });
  const filter = new URL(location.href).searchParams.get("status");
  if (filter) applyFilter(fresh, filter);
  story.replaceWith(fresh);
  const note = fresh.querySelector("#live-status");
  if (note) {
    note.textContent = `Updated just now: ${newSources} new ${newSources === 1 ? "report" : "reports"}, ` +
      `${changedFacts} ${changedFacts === 1 ? "fact" : "facts"} new or changed.`;
  }
  fresh.dataset.revision = status.revision || fresh.dataset.revision;
  return fresh;
}
function watchStory() {
  let story = document.getElementById("story");
  if (!story || !story.dataset.events || !window.EventSource) return;
  let busy = Promise.resolve();
  const events = new EventSource(story.dataset.events + "?revision=" + encodeURIComponent(story.dataset.revision));
  events.addEventListener("changed", (event) => {
    const status = JSON.parse(event.data);
    busy = busy.then(() => refreshStory(story, status)).then((next) => { story = next; }).catch(() => {});
  });
  events.addEventListener("moved", (event) => {
    events.close();
    location.assign(JSON.parse(event.data).url);
  });
}

// Add reports: send the form with a progress bar, then show where each report went.
function watchUpload() {
  const form = document.getElementById("add-form");
  if (!form || !window.XMLHttpRequest) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const progress = document.getElementById("add-progress");
    const bar = document.getElementById("upload-bar");
    const label = document.getElementById("progress-label");
    const button = document.getElementById("add-submit");
    const request = new XMLHttpRequest();
    progress.hidden = false;
    button.disabled = true;
    bar.value = 0;
    label.textContent = "Uploading…";
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((100 * e.loaded) / e.total);
        label.textContent = `Uploading… ${bar.value}%`;
      }
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value");
      label.textContent = "Reading the reports and re-analysing their stories…";
    });
    request.addEventListener("loadend", () => {
      button.disabled = false;
      progress.hidden = true;
      const slot = document.getElementById("results-slot");
      if (request.status === 200) {
        slot.replaceChildren(...new DOMParser().parseFromString(request.responseText, "text/html").body.childNodes);
        form.reset();
      } else {
        const page = new DOMParser().parseFromString(request.responseText || "", "text/html");
        const title = page.querySelector("h1");
        const detail = page.querySelector("main p");
        const box = document.createElement("p");
        box.className = "error";
        box.setAttribute("role", "alert");
        box.textContent = `${title ? title.textContent : "The reports could not be added"}` +
          `${detail ? ": " + detail.textContent : ""} (HTTP ${request.status || "error"})`;
        slot.replaceChildren(box);
      }
    });
    request.open("POST", form.action);
    request.setRequestHeader("X-Storydesk-Fragment", "results");
    request.setRequestHeader("Accept", "text/html");
    request.send(new FormData(form));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  watchStory();
  watchUpload();
});
