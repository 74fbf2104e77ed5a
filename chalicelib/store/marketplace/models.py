"""Marketplace items: an operator's changes to, or addition of, a template (MARKETPLACE / TEMPLATE#<slug>)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.store.table import Item


class TemplateItem(Item, discriminator="template"):
    slug = UnicodeAttribute()
    changes = JSONAttribute(default=dict)  # the template document's fields the operator set
    version = NumberAttribute(default=1)
