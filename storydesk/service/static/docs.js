// Starts Swagger UI on the OpenAPI document named by #swagger-ui's data-openapi (no inline script: CSP).
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.openapi, domNode: root, deepLinking: true });
});
