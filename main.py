"""Claimdesk: the desktop app by default, headless subcommands otherwise (`python main.py --help`)."""

import sys

from annotations import cli


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = cli.build_parser().parse_args(argv)
    args.argv = ["claimdesk", *argv]  # for the dataset card: the command that made an export
    if args.command in (None, "gui"):
        from gui.app import run  # Qt is imported only when the window is wanted

        return run(args)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
