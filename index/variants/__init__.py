"""House spellings: the words that are one name or loanword spelled differently across outlets.

Outlets keep their own spellings of foreign names and loanwords: Al Arabiya writes «ترمب»
where the others write «ترامب», Sky News Arabia «بوتن» for «بوتين», some outlets
«الأميركي», others «الأمريكي»; writers of one outlet mix «إنستغرام» and «إنستجرام».  A
literal engine returns only the articles of the spelling typed.  The build finds such
spellings in the collection itself (:func:`discover`); a query searches all of them as one
word (:mod:`search.variants`, :mod:`search.querytree`).

``letters``   which pairs of words may be one word's spellings (the transliteration
              correspondences), and which look like one Arabic root's derivations;
``evidence``  what the collection says of a pair: one spelling per outlet, shared
              neighbours, shared subjects;
``discover``  the pairs the evidence confirms, joined into groups.
"""
from index.variants.discover import discover, kept

__all__ = ["discover", "kept"]
