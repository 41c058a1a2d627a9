"""`python -m streamer` is the `streamer` command (how `streamer run` starts its children)."""

from streamer.cli import main

main()
