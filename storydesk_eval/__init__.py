"""Evaluation harnesses: storydesk's stages scored on public data, next to simple baselines."""
