"""Video briefings: the hosts allowed and their embed addresses."""

from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError

VIDEO_HOSTS = {
    "www.youtube.com": "youtube",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "vimeo.com": "vimeo",
    "player.vimeo.com": "vimeo",
}


def validate_video_url(url: str) -> None:
    if url and urlparse(url).hostname not in VIDEO_HOSTS:
        raise ValidationError("Videos can only come from YouTube or Vimeo.")
    if url and _video_embed_url(url) is None:
        raise ValidationError("This does not look like the address of a single video.")


def _video_embed_url(url: str) -> str | None:
    parsed = urlparse(url)
    host = VIDEO_HOSTS.get(parsed.hostname or "")
    if host == "youtube":
        if parsed.hostname == "youtu.be":
            video_id = parsed.path.strip("/")
        else:
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        if video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host == "vimeo":
        video_id = parsed.path.rstrip("/").rsplit("/", 1)[-1]
        if video_id.isdigit():
            return f"https://player.vimeo.com/video/{video_id}"
    return None
