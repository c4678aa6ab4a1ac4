"""The image library's writes: an upload checked by its bytes, cleaned, and cut into
renditions; a description edited and carried to every article that shows the image.

An upload is accepted as PNG or JPEG only, told by its first bytes and opened by Pillow
under the pixel limit (`base/filetypes.py`, as for contributors' attachments and imported
archives), and at most `IMAGE_MAX_BYTES`. What is kept is never the file as sent: the
picture is turned upright (EXIF orientation) and saved again without its metadata (camera,
GPS position), at full size and at each of `RENDITION_WIDTHS` narrower than it, in WebP
(what pages offer in `srcset`) and in the original's format (for PDFs and feed readers).
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from base.filetypes import MAX_IMAGE_PIXELS, ImageDamaged, ImageTooLarge, image_kind, verify_image

from . import rendering
from .models import BodyImage, LibraryImage

IMAGE_MAX_BYTES = 10 * 1024 * 1024
RENDITION_WIDTHS = (480, 800, 1200, 1600)
_SAVE_OPTIONS = {
    "webp": {"quality": 80, "method": 4},
    "jpeg": {"quality": 85, "optimize": True, "progressive": True},
    "png": {"optimize": True},
}
_MEGABYTE = 1024 * 1024


def check_image_upload(upload) -> str:
    """The kind ("png" or "jpeg") of an uploaded image, or a ValidationError that says what
    is wrong with it and what to do."""
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            f"This image is {upload.size / _MEGABYTE:.1f} MB; the library takes images up to "
            f"{IMAGE_MAX_BYTES // _MEGABYTE} MB. Save it smaller and upload it again.",
            code="too_big",
        )
    kind = image_kind(upload)
    if kind is None:
        raise ValidationError(
            "This file is not a PNG or JPEG image (whatever its name says). Export the "
            "picture as PNG or JPEG and upload that.",
            code="not_an_image",
        )
    try:
        verify_image(upload, kind)
    except ImageTooLarge:
        raise ValidationError(
            f"This image has more than {MAX_IMAGE_PIXELS:,} pixels; resize it and upload it again.",
            code="too_many_pixels",
        ) from None
    except ImageDamaged:
        raise ValidationError(
            f"This {kind.upper()} image is damaged and cannot be opened; export it again.",
            code="damaged",
        ) from None
    return kind


def image_upload(*, upload, alt: str, credit: str = "", caption: str = "", by=None) -> LibraryImage:
    """Add an image to the library (call `check_image_upload` first: a form's clean does)."""
    kind = check_image_upload(upload)
    with Image.open(upload, formats=[kind.upper()]) as opened:
        picture = ImageOps.exif_transpose(opened)
        picture.load()
    picture = _without_palette_tricks(picture, kind)
    stem = uuid.uuid4().hex
    image = LibraryImage(alt=alt, credit=credit, caption=caption, uploaded_by=by)
    image.width, image.height = picture.size
    image.file.save(f"{stem}.{_EXTENSIONS[kind]}", ContentFile(_encoded(picture, kind)), save=False)
    image.renditions = _renditions(picture, kind, stem)
    image.save()
    return image


_EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


def _without_palette_tricks(picture: Image.Image, kind: str) -> Image.Image:
    """A mode every format here can write: RGB for JPEG; RGB or RGBA for PNG."""
    if kind == "jpeg":
        return picture if picture.mode == "RGB" else picture.convert("RGB")
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    return picture.convert("RGBA" if has_alpha else "RGB")


def _encoded(picture: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    picture.save(out, format=image_format.upper(), **_SAVE_OPTIONS[image_format])
    return out.getvalue()


def _renditions(picture: Image.Image, kind: str, stem: str) -> list[dict]:
    width, height = picture.size
    widths = [w for w in RENDITION_WIDTHS if w < width] + [min(width, RENDITION_WIDTHS[-1])]
    made = []
    # Widest first, each cut from the one before it: a 12-megapixel photograph is read once
    # at full size, and `reducing_gap` lets Pillow halve it cheaply before the fine filter.
    source = picture
    for target in sorted(set(widths), reverse=True):
        target_height = max(1, round(height * target / width))
        if target != source.width:
            source = source.resize((target, target_height), Image.LANCZOS, reducing_gap=3.0)
        resized = source
        for image_format in ("webp", kind):
            content = _encoded(resized, image_format)
            name = default_storage.save(
                f"library/renditions/{stem}-{target}.{_EXTENSIONS[image_format]}",
                ContentFile(content),
            )
            made.append(
                {
                    "width": target,
                    "height": target_height,
                    "format": image_format,
                    "name": name,
                    "bytes": len(content),
                }
            )
    return sorted(made, key=lambda r: (r["width"], r["format"]))


def image_update(*, image: LibraryImage) -> LibraryImage:
    """Save an edited description (alt text, credit, caption); every article whose body shows
    the image is rendered again once the change is committed."""
    image.full_clean()
    image.save()
    showing = BodyImage.objects.filter(image=image).values_list("article_id", flat=True)
    rendering.bodies_render_after_commit(ids=sorted(showing))
    return image
