from newsdesk.cli import app

app(prog_name="newsdesk")
