"""The running-text seeds (000 proposal-less decree, 001 minutes, 002 proposal) and .docx built from them."""

from __future__ import annotations

import io

from docx import Document

from tests.seeds import seed_file


def seed_text(prefix: str) -> str:
    return seed_file(prefix).read_text(encoding="utf-8")


def docx_of_text(text: str) -> bytes:
    """A Word file with one paragraph per line, as the converted documents have."""
    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


#: Minutes with every header part, in Cyrillic, with units and deadlines in the decisions.
FULL_MINUTES = """Ўзбекистон Республикаси Камбағалликни қисқартириш ва бандлик вазирлиги
Жамоатчилик кенгаши йиғилишининг
БАЁННОМАСИ

Тошкент ш.          2024 йил 15 март          № 3

Раислик қилди: Б.Умурзаков
Қатнашдилар: Ҳайитов, Қодиров,
Умарова

КУН ТАРТИБИ:
1. Вазирлик фаолияти очиқлигини таъминлаш
борасидаги ишлар

(Умурзаков, Ҳайитов)

Муҳокама қилинди.

ҚАРОР ҚИЛИНДИ:
1. Ахборот хизмати (С.Раҳимов) бир ой муддатда очиқ маълумотларни
янгиласин.
2. Жамоатчилик билан алоқалар бошқармаси 2024 йил 1 апрелгача ҳисобот берсин.
3. Масъул: Ахборот хизмати. Муддат: доимий равишда.

Раис          Б.Умурзаков
Баённомачи    Ж.Қаландаров
"""
