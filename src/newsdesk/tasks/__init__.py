"""Distributed mode: the pipeline's stages as procrastinate tasks on PostgreSQL.

`queue.py` defers jobs inside the caller's database transaction (no lost or phantom
jobs); `app.py` declares the tasks and periodic polling that `newsdesk worker` runs.
"""
