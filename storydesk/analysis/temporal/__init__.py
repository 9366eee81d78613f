"""Time in the reports: date expressions and their resolution (`expressions`), the tense that directs them
(`tense`), the clauses they date (`events`) and the publication dates of undated reports (`publication`)."""
