"""The one JSON encoding for JSON that may end up inside HTML (JSON-LD, exports a page embeds)."""

import json

from django.core.serializers.json import DjangoJSONEncoder

# What Django's json_script escapes: nothing in the data can close a <script> element.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


class HtmlSafeJSONEncoder(DjangoJSONEncoder):
    """JSON whose text can never be taken for markup: <, > and & as \\u escapes (the data is the same)."""

    def encode(self, o) -> str:
        return super().encode(o).translate(SCRIPT_ESCAPES)


def html_safe_dumps(data) -> str:
    """JSON text, non-ASCII kept as it is, safe inside a <script> element."""
    return json.dumps(data, cls=HtmlSafeJSONEncoder, ensure_ascii=False)
