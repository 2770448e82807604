"""Every portal form reads only its posted fields (portal.web.forms.TextForm), new forms too."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from flask_wtf import FlaskForm

import portal.web
from portal.web.forms import TextForm


def test_every_form_in_the_web_layer_is_a_text_form() -> None:
    plain = []
    for module_info in pkgutil.iter_modules(portal.web.__path__):
        module = importlib.import_module(f"portal.web.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or cls is TextForm:
                continue
            if issubclass(cls, FlaskForm) and not issubclass(cls, TextForm):
                plain.append(f"{module.__name__}.{name}")
    assert plain == [], f"forms that would read stray files or JSON: {plain}"
