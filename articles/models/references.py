"""What each article's body names: library images and other articles of ours.

Kept by `Article.save()` from the body as rendered, so that a change to what a body names
can find the articles to render again in one indexed query: an image's alt text or caption
edited, an article linked to renamed, published, unpublished or deleted. A link remembers
the address it was rendered with ("" when it was shown as plain text), so only the bodies
that now show a wrong one are rendered again.
"""

from django.db import models


class BodyImage(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="body_images"
    )
    # An image a body shows cannot be deleted (the admin says by which articles).
    image = models.ForeignKey(
        "articles.LibraryImage", on_delete=models.PROTECT, related_name="uses"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="body_image_once"),
        ]

    def __str__(self) -> str:
        return f"Article {self.article_id} shows image {self.image_id}"


class BodyLink(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="body_links"
    )
    # No database constraint: when the article linked to is deleted, the row stays, so that
    # the bodies linking to it can be found and rendered without the link.
    target = models.ForeignKey(
        "articles.Article",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="linked_from",
    )
    href = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="body_link_once"),
        ]

    def __str__(self) -> str:
        return f"Article {self.article_id} links to article {self.target_id}"
