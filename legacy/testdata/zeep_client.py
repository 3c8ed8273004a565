"""An independent SOAP client for the shim: imports the WSDL at argv[1] with
zeep, calls both operations and prints what each agency answered as JSON."""
import datetime
import json
import sys

from zeep import Client

AGENCIES = ["AF", "CSN", "FK", "SKV", "SO", "TNS", "MIV"]


def outcome(el):
    if el is None:
        return "missing"
    # zeep drops an empty data (MIV when there is no permit) from the choice
    # data|error altogether, so "no error" is what marks data.
    error = getattr(el, "error", None)
    if error is None:
        return "data"
    return "error %s/%s %s" % (error.kalla, error.felkod, "; ".join(error.felmeddelande))


def main():
    client = Client(sys.argv[1])
    svar = client.service.hamtaBastjanstInformation(
        generellaFrageparametrar={
            "frageTidpunkt": datetime.datetime(2025, 3, 3, 9, 30, 47),
            "korrelationsid": "ZEEP-1",
            "fraganSkallInkluderasISvaret": True,
            "ingivare": {
                "organisationsnummer": "162120001420",
                "namn": "Exempelkommunen socialnämnd",
                "handlaggare": "HL0001",
            },
            "personidentitet": "191212121212",
            "arendeidentitet": "EKB-2025-0042",
            "tidsperiod": {"fromDatum": datetime.date(2024, 12, 1), "tomDatum": datetime.date(2025, 2, 28)},
            "syfte": "Beslut om eller kontroll av ekonomiskt bistånd",
            "lagtext": "11 kap. 11 a § socialtjänstlagen (2001:453)",
        },
        specifikaFrageparametrar={kod: {"inkludera": True} for kod in AGENCIES},
    )
    test = client.service.testaBastjanstInformation()
    out = {
        "korrelationsid": svar.korrelationsid,
        "echo": svar.fraga is not None and svar.fraga.generellaFrageparametrar.arendeidentitet,
        "hamta": {kod: outcome(getattr(svar.svarsdata, kod)) for kod in AGENCIES},
        "testa": {
            kod: (getattr(test, kod) is not None and getattr(test, kod).anropad and getattr(test, kod).error is None)
            for kod in AGENCIES
        },
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
