"""Celery discovers the portal's tasks in ``tasks`` modules: the download build is one."""

from .worker import download_build

__all__ = ["download_build"]
