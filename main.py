"""Claimdesk: the desktop app by default, headless subcommands otherwise (`python main.py --help`)."""

import sys

from annotations import cli


def main(argv: list[str] | None = None) -> int:
    args = cli.build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        from gui.app import run  # Qt is imported only when the window is wanted

        return run(args)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
