"""``python -m scidip_graph`` runs the command line."""

from scidip_graph.cli import run

if __name__ == "__main__":
    run()
