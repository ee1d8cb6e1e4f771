"""The production server: gunicorn's master, pre-forked workers, and the connection loop.

:mod:`.prefork` configures gunicorn and builds the app in the master (which loads the store
once); :mod:`.worker` is the worker class, whose event loop keeps slow clients waiting in
buffers, never in a request, and keeps connections alive between requests;
:mod:`.connections` is one client connection as a worker holds it; :mod:`.handoff` passes kept
connections from a busy worker to an idle one.

May import every room below it (web, sparql, pages, store...). Nothing here may import
``scidip_graph.web`` at module level: the master must set ``PROMETHEUS_MULTIPROC_DIR`` before
the web app (and prometheus_client) is first imported.
"""
