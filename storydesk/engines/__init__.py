"""Where per-story analysis runs: `local` (worker processes on this machine) and `spark` (a Spark cluster).

Both run the same stage code, `analysis.story.analyse_story`, over the same model objects: a story's
articles in, its `Story` out. What differs is only who calls it and where.
"""
