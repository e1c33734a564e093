from django.core.management.base import BaseCommand

from statements import export
from statements.models import Quote


class Command(BaseCommand):
    help = "Writes every quote to standard output (or a file), one per JSON line or CSV row."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, format, output, **options):
        lines = export.csv_lines if format == "csv" else export.jsonl_lines
        quotes = Quote.objects.order_by("pk")  # a stable order: two dumps can be compared line by line
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                stream.writelines(lines(quotes))
        else:
            for line in lines(quotes):
                self.stdout.write(line, ending="")
