"""The live preview of `serve`: watch the site, rebuild in place, reload the open tabs.

`session.py` runs it (the rebuild loop and the search indexer), `watch.py` watches the inputs, `live.py` is
what the tabs are told, `client.py` and `assets/` are the script and stylesheet the tabs run. The HTTP side
is `carepages/server.py`.
"""
