"""The site's glossary (`content/glossary.yaml`): plain-language meanings of the words its pages use.

`load.py` reads the file with every problem located (file, line, field); `model.py` holds the terms and the
forms a page's text is matched against (`markdown/terms.py` marks their first use in an article).
"""

from .load import GLOSSARY_FILE, glossary_path, load_glossary
from .model import Glossary, Term

__all__ = ["GLOSSARY_FILE", "Glossary", "Term", "glossary_path", "load_glossary"]
