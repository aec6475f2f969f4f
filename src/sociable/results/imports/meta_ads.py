"""Meta Ads Manager export (CSV): UTF-8 with a BOM, the currency in the spend column's name
("Amount spent (USD)"), and headers in the account's language.

Columns: campaign name, reporting starts, reporting ends (or a Day column), amount spent
(CUR), and optionally impressions, reach, link clicks, results. Known languages: English,
German, French, Spanish, Italian, Dutch, Portuguese. A summary row without a campaign name
is skipped.
"""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from sociable.ingest.errors import LineError
from sociable.results.imports.common import cents, day, decode, read_csv, whole
from sociable.results.imports.records import AdRow, Parsed

CAMPAIGN = ("campaign name", "kampagnenname", "nom de la campagne", "nombre de la campaña",
            "nome della campagna", "campagnenaam", "nome da campanha", "ad set name")
START = ("reporting starts", "berichtsbeginn", "début des rapports", "inicio del informe",
         "inizio report", "begin rapportage", "início dos relatórios")
END = ("reporting ends", "berichtsende", "fin des rapports", "fin del informe", "fine report",
       "einde rapportage", "término dos relatórios")
DAY = ("day", "tag", "jour", "día", "giorno", "dag", "dia")
IMPRESSIONS = ("impressions", "impressionen", "impresiones", "impressioni", "weergaven",
               "impressões")
REACH = ("reach", "reichweite", "couverture", "alcance", "copertura", "bereik")
CLICKS = ("link clicks", "link-klicks", "clics sur un lien", "clics en el enlace",
          "clic sul link", "linkklikken", "cliques no link")
RESULTS = ("results", "ergebnisse", "résultats", "resultados", "risultati", "resultaten")
SPEND = re.compile(r"^(amount spent|ausgegebener betrag|montant dépensé|importe gastado|"
                   r"importo speso|besteed bedrag|valor usado|valor gasto)\s*\(([a-z]{3})\)$")
ENGLISH = {"campaign name", "reporting starts", "amount spent"}


def parse(data: bytes, path: str, tz: ZoneInfo) -> Parsed:
    out = Parsed("meta_ads", path)
    table = read_csv(decode(data, path), path)
    out.errors += table.errors
    spend_col = next((h for h in table.headers if SPEND.match(h)), None)
    if spend_col is None:
        raise LineError(path, 1, "Amount spent (USD)", "no 'Amount spent (CUR)' column with "
                        f"the currency in it (found: {', '.join(table.headers)[:300]})")
    currency = SPEND.match(spend_col).group(2).upper()
    english = spend_col.startswith("amount spent")
    campaign = table.has(*CAMPAIGN)
    if campaign is None:
        raise LineError(path, 1, "Campaign name", "no campaign name column")
    day_col, start_col, end_col = table.has(*DAY), table.has(*START), table.has(*END)
    if not day_col and not (start_col and end_col):
        raise LineError(path, 1, "Reporting starts", "no Reporting starts / Reporting ends "
                        "(or Day) columns")
    for row in table.rows:
        name = row.get(campaign)
        if not name:
            continue  # Ads Manager's summary row
        try:
            if day_col and row.get(day_col):
                d0 = d1 = day(row.get(day_col), day_first=not english)
            else:
                d0 = day(row.get(start_col), day_first=not english)
                d1 = day(row.get(end_col), day_first=not english)
        except ValueError as exc:
            out.errors.append(LineError(path, row.line, "Reporting starts", str(exc)))
            continue
        if d1 < d0:
            out.errors.append(LineError(path, row.line, "Reporting ends",
                                        "ends before it starts"))
            continue
        try:
            spend = cents(row.get(spend_col) or "0", decimal_comma=not english)
            extra = [whole(row.get(*names), decimal_comma=not english)
                     for names in (IMPRESSIONS, REACH, CLICKS, RESULTS)]
        except ValueError as exc:
            out.errors.append(LineError(path, row.line, spend_col, str(exc)))
            continue
        out.records.append(AdRow(row.line, name, d0, d1, spend, currency, *extra))
    return out
