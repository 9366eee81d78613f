"""storydesk as a service (`storydesk serve`): the HTTP API (`api`), the web app (`web`) and the intake
of reports (`intake`) over the same store `storydesk run` writes.

A thin layer: requests become calls to the store and to the pipeline's stages; no stage imports it.
"""

from storydesk.service.app import Settings, create_app

__all__ = ["Settings", "create_app"]
