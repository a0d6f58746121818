"""One module per subcommand; each has ``add_arguments`` and ``run(args) -> exit code``."""
