"""Start the SPARQL endpoint and web interface on the embedded store with the bundled data.

Settings come from SCIDIP_* environment variables (see the README); for example
``SCIDIP_PORT=8080 python server.py``.
"""

from scidip_graph.server.prefork import serve
from scidip_graph.settings import Settings

if __name__ == "__main__":
    serve(Settings.from_env())
