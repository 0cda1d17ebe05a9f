"""Wire copy pushed over HTTP: POST /wire/push/ with a source's token.

    curl --fail-with-body -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
        --data-binary @story.json https://newsroom.example/wire/push/

The body is one ninjs document (application/json) or a zip of them (application/zip). It is
read here as a stream, counted against WIRE_PUSH_MAX_BYTES and spooled to disk, so a large
package is not cut off by Django's in-memory limit for form data. Each document is imported as
by `import_ninjs` and the answer carries the same lines:

    201 something was imported    200 a draft was updated    202 accepted, nothing new to
    write (unchanged, kept as a pending update, an agency hold recorded, skipped)
    401 no token, or not an active source's    411 no Content-Length    413 too large
    415 not JSON or a zip    422 a document was rejected (the results say which and why)

The body of every answer is {"status", "message", "results": [{"name", "status", "message",
"article"}]}. This view alone is exempt from CSRF: a push carries no cookie, only its token.
"""

import tempfile
from collections.abc import Sequence

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wire.importer import MAX_FILE_BYTES, Outcome
from wire.ingest import import_stream, summary
from wire.models import Source

JSON_TYPES = {"application/json"}
ZIP_TYPES = {"application/zip", "application/x-zip-compressed"}
CHUNK_BYTES = 64 * 1024
# A push up to this size stays in memory; a larger one is spooled to a temporary file.
SPOOL_BYTES = 2 * 1000 * 1000
STATUS_WORDS = {201: "created", 200: "updated", 202: "accepted", 422: "rejected"}


class TooLarge(Exception):
    pass


def _answer(code: int, status: str, message: str, results: Sequence[Outcome] = ()) -> JsonResponse:
    body = {
        "status": status,
        "message": message,
        "results": [
            {
                "name": outcome.name,
                "status": outcome.status,
                "message": outcome.message,
                "article": outcome.article.pk if outcome.article else None,
            }
            for outcome in results
        ],
    }
    response = JsonResponse(body, status=code, json_dumps_params={"ensure_ascii": False})
    if code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="wire push"'
    return response


def _size(limit: int) -> str:
    return f"{limit // 1_000_000:,} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


def _token(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _spool(request, limit: int):
    """The request body in a temporary file, read in chunks and never more than `limit` bytes."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the view
    size = 0
    while chunk := request.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            body.close()
            raise TooLarge
        body.write(chunk)
    body.seek(0)
    return body, size


def code_for(outcomes: Sequence[Outcome]) -> int:
    """The least successful document decides: any rejected 422, else any imported 201, else any
    updated 200, else 202."""
    statuses = {outcome.status for outcome in outcomes}
    for status, code in (("rejected", 422), ("imported", 201), ("updated", 200)):
        if status in statuses:
            return code
    return 202


@csrf_exempt
@never_cache
@require_POST
def push(request):
    """Import the ninjs document, or zip of them, that an agency's system sends."""
    source = Source.objects.authenticated(_token(request))
    if source is None:
        # The same answer for a missing, unknown or inactive source's token.
        return _answer(401, "unauthorized", "a valid source token is needed: Authorization: Bearer <token>")
    source.mark_used()
    kind = request.content_type
    if kind not in JSON_TYPES | ZIP_TYPES:
        return _answer(415, "unsupported", "send one ninjs document as application/json, or a zip as application/zip")
    is_zip = kind in ZIP_TYPES
    limit = settings.WIRE_PUSH_MAX_BYTES if is_zip else min(settings.WIRE_PUSH_MAX_BYTES, MAX_FILE_BYTES)
    too_large = f"it is larger than {_size(limit)}"  # for one document, the importer's TOO_LARGE
    if "CONTENT_LENGTH" not in request.META:
        return _answer(411, "length required", "send the body with a Content-Length")
    try:
        declared = int(request.META["CONTENT_LENGTH"])
    except ValueError:
        return _answer(400, "bad request", "its Content-Length is not a number")
    if declared > limit:
        return _answer(413, "too large", too_large)
    try:
        body, size = _spool(request, limit)
    except TooLarge:
        return _answer(413, "too large", too_large)
    with body:
        outcomes = import_stream("push.zip" if is_zip else "push.json", body, size, source=source)
    code = code_for(outcomes)
    message = str(outcomes[0]) if len(outcomes) == 1 else summary(outcomes, len(outcomes))
    return _answer(code, STATUS_WORDS[code], message, outcomes)
