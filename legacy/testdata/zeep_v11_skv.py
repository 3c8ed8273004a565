"""A v11 SSBTEK client of Skatteverket's answer in parts: imports the v11 WSDL
at argv[1] with zeep, asks SKV alone for every part about Tolvan and prints,
per part, its data (zeep decodes xsd:base64Binary to bytes: parsed as JSON
here) or its error, as JSON."""
import datetime
import json
import sys

from zeep import Client

AGENCIES = ["AF", "CSN", "FK", "SKV", "SO", "TNS", "MIV"]
DELAR = ["foretagsinformation", "individuppgifter", "skattekonto", "skatteuppgifter", "beskattningsbilagor"]


def main():
    client = Client(sys.argv[1])
    specifika = {kod: {"inkludera": kod == "SKV"} for kod in AGENCIES}
    specifika["SKV"]["fraga"] = dict({"ar": [2024, 2025]}, **{d: True for d in DELAR})
    svar = client.service.hamtaBastjanstInformation(
        generellaFrageparametrar={
            "fraganSkallInkluderasISvaret": False,
            "ingivare": {"organisationsnummer": "162120001420", "namn": "Exempelkommunen", "handlaggare": "HL0001"},
            "personidentitet": "191212121212",
            "arendeidentitet": "EKB-2026-0011",
            "tidsperiod": {"fromDatum": datetime.date(2026, 8, 1), "tomDatum": datetime.date(2026, 10, 31)},
            "syfte": "Beslut om eller kontroll av ekonomiskt bistånd",
            "lagtext": "11 kap. 11 a § socialtjänstlagen (2001:453)",
        },
        specifikaFrageparametrar=specifika,
    )
    skv = svar.svarsdata.SKV
    out = {}
    for d in DELAR:
        part = getattr(skv, d)
        if part is None:
            out[d] = "missing"
        elif part.data is not None:
            out[d] = json.loads(part.data.decode("utf-8"))
        else:
            out[d] = "error %s/%s" % (part.error.kalla, part.error.felkod)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
