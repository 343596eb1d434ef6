"""The official headings of the printed reports, per script.

A report is written in the script the user chose, whatever the language of the interface, so
its headings are not UI strings: they are the words of the documents (seeds 003 and 004 and the
glossary), kept here once in Cyrillic and once in Latin. Content is transliterated by the
language engine; these headings are written out so that both versions read as originals.
"""

from __future__ import annotations

from tracker.core.status import Status

SCRIPTS = ("cyrl", "latn")

HEADINGS: dict[str, dict[str, str]] = {
    "cyrl": {
        "no": "№",
        "roadmap_no": "Т/р",
        "on_basis": "асосида",
        "agreed": "Келишилди",
        "prepared": "Тайёрлади",
        "position_blank": "лавозими",
        "date_blank": "20__ йил «__» ______",
        "measure": "Чора-тадбир номи",
        "measures": "Чора-тадбирлар номи",
        "mechanism": "Амалга ошириш механизми",
        "deadline": "Бажариш муддати",
        "plan_deadline": "Ижро муддати",
        "status": "Ижро ҳолати",
        "basis": "Норматив-ҳуқуқий асоси",
        "result": "Мақсад (кутилаётган натижа)",
        "responsible": "Масъул ижрочилар",
        "approve": "“ТАСДИҚЛАЙМАН”",
        "overdue": "Муддати ўтган",
        "all_units": "Барча таркибий тармоқлар",
        "summary_title": "Ижро интизоми тўғрисида маълумот",
        "by_status": "Ижро ҳолати бўйича",
        "by_unit": "Таркибий тармоқлар кесимида",
        "by_plan": "Режалар кесимида",
        "plan": "Режа",
        "unit": "Таркибий тармоқ",
        "total": "Жами",
        "measures_total": "Жами чора-тадбирлар",
        "on_time": "Муддатида бажарилганлар улуши",
        "on_time_detail": "муддати етган {due} та чора-тадбирдан {done} таси муддатида бажарилди",
        "overdue_list": "Муддати ўтган чора-тадбирлар",
        "no_overdue": "Муддати ўтган чора-тадбирлар йўқ.",
        "unit_filter": "Таркибий тармоқ",
        "status_filter": "Ҳолат",
        "pending_included": "Текширувдаги ҳисоботлар ҳам ҳисобга олинган",
        "no_measures": "Танланган шартларга мос чора-тадбирлар йўқ.",
        "share": "Улуши",
        "unassigned": "Масъул белгиланмаган",
        "page": "Бет",
    },
    "latn": {
        "no": "№",
        "roadmap_no": "T/r",
        "on_basis": "asosida",
        "agreed": "Kelishildi",
        "prepared": "Tayyorladi",
        "position_blank": "lavozimi",
        "date_blank": "20__-yil «__» ______",
        "measure": "Chora-tadbir nomi",
        "measures": "Chora-tadbirlar nomi",
        "mechanism": "Amalga oshirish mexanizmi",
        "deadline": "Bajarish muddati",
        "plan_deadline": "Ijro muddati",
        "status": "Ijro holati",
        "basis": "Normativ-huquqiy asosi",
        "result": "Maqsad (kutilayotgan natija)",
        "responsible": "Masʼul ijrochilar",
        "approve": "“TASDIQLAYMAN”",
        "overdue": "Muddati oʻtgan",
        "all_units": "Barcha tarkibiy tarmoqlar",
        "summary_title": "Ijro intizomi toʻgʻrisida maʼlumot",
        "by_status": "Ijro holati boʻyicha",
        "by_unit": "Tarkibiy tarmoqlar kesimida",
        "by_plan": "Rejalar kesimida",
        "plan": "Reja",
        "unit": "Tarkibiy tarmoq",
        "total": "Jami",
        "measures_total": "Jami chora-tadbirlar",
        "on_time": "Muddatida bajarilganlar ulushi",
        "on_time_detail": "muddati yetgan {due} ta chora-tadbirdan {done} tasi muddatida bajarildi",
        "overdue_list": "Muddati oʻtgan chora-tadbirlar",
        "no_overdue": "Muddati oʻtgan chora-tadbirlar yoʻq.",
        "unit_filter": "Tarkibiy tarmoq",
        "status_filter": "Holat",
        "pending_included": "Tekshiruvdagi hisobotlar ham hisobga olingan",
        "no_measures": "Tanlangan shartlarga mos chora-tadbirlar yoʻq.",
        "share": "Ulushi",
        "unassigned": "Masʼul belgilanmagan",
        "page": "Bet",
    },
}

STATUS_WORDS: dict[str, dict[Status, str]] = {
    "cyrl": {
        Status.NOT_STARTED: "Бошланмаган",
        Status.IN_PROGRESS: "Бажарилмоқда",
        Status.DONE_CLAIMED: "Текширувда",
        Status.DONE: "Бажарилди",
        Status.CANCELLED: "Бекор қилинди",
    },
    "latn": {
        Status.NOT_STARTED: "Boshlanmagan",
        Status.IN_PROGRESS: "Bajarilmoqda",
        Status.DONE_CLAIMED: "Tekshiruvda",
        Status.DONE: "Bajarildi",
        Status.CANCELLED: "Bekor qilindi",
    },
}

#: The language tag of the PDF, for hyphenation-free line breaking and screen readers.
HTML_LANG = {"cyrl": "uz-Cyrl", "latn": "uz-Latn"}
