"""The image library in the admin: the list with thumbnails, search, the descriptions, and
the two endpoints of the editor's image chooser (search the library, upload one)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from base.limits import body_too_large, checked_before_the_body

from .. import images
from ..models import LibraryImage

# Images listed by the chooser at once: the newest, or the best matches of a search.
CHOOSER_LENGTH = 24
THUMBNAIL_WIDTH = 480


class LibraryImageForm(forms.ModelForm):
    class Meta:
        model = LibraryImage
        fields = ["file", "alt", "credit", "caption"]
        # Told by its bytes (`images.check_image_upload`), with messages that say what to do.
        field_classes = {"file": forms.FileField}
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"file": "PNG or JPEG, up to 10 MB. Renditions are made at upload."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A picture of the library is described anew, never swapped under the articles
            # that show it: a new picture is a new upload.
            self.fields.pop("file", None)
        else:
            self.fields["file"].widget = forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg"}
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        images.check_image_upload(upload)
        return upload


def thumbnail(image: LibraryImage) -> dict:
    """What the chooser shows and inserts of an image: plain values."""
    smallest = image.rendition(width=THUMBNAIL_WIDTH, image_format="webp")
    return {
        "id": image.pk,
        "reference": image.reference,
        "markdown": f"![{_bracket_safe(image.alt)}]({image.reference})",
        "thumbnail": LibraryImage.url_of(smallest) if smallest else "",
        "alt": image.alt,
        "credit": image.credit,
        "caption": image.caption,
        "size": f"{image.width} × {image.height}",
    }


def _picture(image: LibraryImage, *, width: int, css_class: str) -> str:
    """The image at `width` pixels wide (from its nearest WebP rendition), for the admin."""
    rendition = image.rendition(width=width, image_format="webp")
    if rendition is None:
        return "—"
    shown = min(width, rendition["width"])
    return format_html(
        '<img class="{}" src="{}" alt="" width="{}" height="{}">',
        css_class,
        LibraryImage.url_of(rendition),
        shown,
        round(shown * rendition["height"] / rendition["width"]),
    )


def _bracket_safe(text: str) -> str:
    return " ".join(text.replace("[", "(").replace("]", ")").split())


def _upload_size_guard(request: HttpRequest) -> HttpResponse | None:
    """A file far over the limit is refused before it is read, in words the chooser shows."""
    if not body_too_large(request, images.IMAGE_MAX_BYTES + 64 * 1024):
        return None
    return JsonResponse(
        {
            "saved": False,
            "errors": {
                "file": [
                    f"This file is over {images.IMAGE_MAX_BYTES // (1024 * 1024)} MB: save the "
                    "picture smaller and upload it again."
                ]
            },
        }
    )


@admin.register(LibraryImage)
class LibraryImageAdmin(admin.ModelAdmin):
    form = LibraryImageForm
    list_display = ["preview", "alt", "credit", "size", "use_count", "uploaded_at"]
    list_display_links = ["preview", "alt"]
    search_fields = ["alt", "credit", "caption"]
    readonly_fields = ["preview_large", "size", "uploaded_by", "uploaded_at", "used_by"]
    list_per_page = 40

    class Media:
        css = {"all": ["css/article-editor.css"]}

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", "alt", "credit", "caption"]
        return ["preview_large", "alt", "credit", "caption", "size", "uploaded_by", "uploaded_at",
                "used_by"]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(use_count=Count("uses", distinct=True))

    @admin.display(description="image")
    def preview(self, image: LibraryImage) -> str:
        return _picture(image, width=120, css_class="library-thumb")

    @admin.display(description="image")
    def preview_large(self, image: LibraryImage) -> str:
        return _picture(image, width=800, css_class="library-preview")

    @admin.display(description="size")
    def size(self, image: LibraryImage) -> str:
        return f"{image.width} × {image.height} px"

    @admin.display(description="articles", ordering="use_count")
    def use_count(self, image: LibraryImage) -> int:
        return image.use_count

    @admin.display(description="shown by")
    def used_by(self, image: LibraryImage) -> str:
        titles = [use.article.title for use in image.uses.select_related("article")[:20]]
        return ", ".join(titles) or "No article yet."

    def save_model(self, request, obj, form, change):
        if change:
            images.image_update(image=obj)
            return
        made = images.image_upload(
            upload=form.cleaned_data["file"],
            alt=obj.alt,
            credit=obj.credit,
            caption=obj.caption,
            by=request.user,
        )
        for field in LibraryImage._meta.concrete_fields:
            setattr(obj, field.attname, getattr(made, field.attname))

    def get_urls(self):
        upload = checked_before_the_body(_upload_size_guard)(require_POST(self.chooser_upload))
        return [
            path(
                "chooser/",
                self.admin_site.admin_view(self.chooser_search),
                name="articles_libraryimage_chooser",
            ),
            path(
                "chooser/upload/",
                self.admin_site.admin_view(upload),
                name="articles_libraryimage_chooser_upload",
            ),
            *super().get_urls(),
        ]

    def chooser_search(self, request: HttpRequest) -> JsonResponse:
        """The newest images, or those whose description holds every word of `q`."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = LibraryImage.objects.all()
        for word in request.GET.get("q", "").split()[:8]:
            found = found.filter(
                Q(alt__icontains=word) | Q(caption__icontains=word) | Q(credit__icontains=word)
            )
        return JsonResponse({"images": [thumbnail(image) for image in found[:CHOOSER_LENGTH]]})

    def chooser_upload(self, request: HttpRequest) -> JsonResponse:
        """An image uploaded from the editor: saved, or the form's messages per field (always
        200: the chooser shows them; a browser would log an error status in the console)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = LibraryImageForm(data=request.POST, files=request.FILES)
        if not form.is_valid():
            return JsonResponse(
                {"saved": False, "errors": {k: list(v) for k, v in form.errors.items()}}
            )
        image = images.image_upload(
            upload=form.cleaned_data["file"],
            alt=form.cleaned_data["alt"],
            credit=form.cleaned_data["credit"],
            caption=form.cleaned_data["caption"],
            by=request.user,
        )
        return JsonResponse({"saved": True, "image": thumbnail(image)})
