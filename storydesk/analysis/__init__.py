"""Per-story analysis: `story.analyse_story` turns one story's articles into a `Story`.

Subpackages and modules, in the order a story is read: `context` (sentences, one spaCy parse, date
mentions), `brief`, `entities`, `temporal` (date expressions, tense, dated clauses, publication dates of
undated reports), `facts`, `timeline`. Nothing is imported here, so `storydesk brief` loads no spaCy.
"""
