import functools

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements import export, untrusted
from statements.models import Quote


class Command(BaseCommand):
    help = "Writes every quote to standard output (or a file), one per JSON line or CSV row."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="the site's address (https://newsdesk.example.org), which makes each quote's `url` "
            "absolute; default: the SITE_URL setting; without either, `url` is the page's path",
        )
        parser.add_argument(
            "--excel", action="store_true", help="CSV for Excel: starts with a UTF-8 byte order mark"
        )

    def handle(self, *args, format, output, base_url, excel, **options):
        if base_url and not untrusted.http_url(base_url):
            raise CommandError(f"--base-url must be an http or https address, not {base_url!r}.")
        if format == "csv":
            lines = functools.partial(export.csv_lines, base_url=base_url, excel=excel)
        else:
            lines = functools.partial(export.jsonl_lines, base_url=base_url)
        quotes = Quote.objects.order_by("pk")  # a stable order: two dumps can be compared line by line
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                stream.writelines(lines(quotes))
        else:
            for line in lines(quotes):
                self.stdout.write(line, ending="")
