"""`python -m rasad` is the `rasad` command."""

from rasad.cli.main import app

app(prog_name="rasad")
