"""An independent SOAP client for the shim: imports the WSDL at argv[1] with
zeep, calls both operations and prints what each agency answered as JSON,
with a typed field of FK, CSN and SO read by name.

argv[2], when given, lists the agencies of the version's contract (comma
separated; all seven by default); argv[3] "formansforteckning" asks FK as
v1-v9 do, for bostadsbidrag and barnbidrag."""
import datetime
import json
import sys

from zeep import Client

AGENCIES = sys.argv[2].split(",") if len(sys.argv) > 2 else ["AF", "CSN", "FK", "SKV", "SO", "TNS", "MIV"]
FORMANSFORTECKNING = len(sys.argv) > 3 and sys.argv[3] == "formansforteckning"


def outcome(el):
    if el is None:
        return "missing"
    # zeep drops an empty data (MIV when there is no permit) from the choice
    # data|error altogether, so "no error" is what marks data.
    error = getattr(el, "error", None)
    if error is None:
        return "data"
    return "error %s/%s %s" % (error.kalla, error.felkod, "; ".join(error.felmeddelande))


def specifika():
    out = {kod: {"inkludera": True} for kod in AGENCIES}
    if FORMANSFORTECKNING:
        out["FK"]["formansforteckning"] = {"bostadsbidrag": True, "barnbidrag": True}
    return out


def typed(svar):
    """A typed field of FK, CSN, AF and SO, read by name from zeep's objects."""
    out = {}
    fk = svar.svarsdata.FK
    if fk is not None and fk.data is not None:
        # base64Binary: zeep gives the bytes, LEFI's JSON.
        out["FK"] = sorted(json.loads(fk.data.lefiJsonSvar).keys())
    csn = svar.svarsdata.CSN
    if csn is not None and csn.data is not None:
        out["CSN"] = csn.data.svar.decode("utf-8")[:200]
    af = svar.svarsdata.AF
    if af is not None and af.data is not None:
        out["AF"] = {"kod": af.data.Svar.StatusSokandeinformationKod, "identitet": af.data.Svar.IdentitetsbeteckningFysiskPerson}
    so = svar.svarsdata.SO
    if so is not None and so.data is not None:
        kassa = so.data.ArbetsloshetsersattningLista.Arbetsloshetsersattning[0]
        out["SO"] = {
            "kassa": kassa.SvarandeOrganisation,
            "status": kassa.StatusSvarandeOrganisation,
            "from": so.data.From.isoformat(),
            "identitet": so.data.IdentificationNumber,
            # Decimal and date objects, as the schema types them.
            "utbetalningar": [[u.Utbetalningsdatum.isoformat(), str(u.NettoEfterSkatt)] for u in kassa.Utbetalningar],
        }
    return out


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
        specifikaFrageparametrar=specifika(),
    )
    test = client.service.testaBastjanstInformation()
    out = {
        "korrelationsid": svar.korrelationsid,
        "echo": svar.fraga is not None and svar.fraga.generellaFrageparametrar.arendeidentitet,
        "hamta": {kod: outcome(getattr(svar.svarsdata, kod)) for kod in AGENCIES},
        "typed": typed(svar),
        "testa": {
            kod: (getattr(test, kod) is not None and getattr(test, kod).anropad and getattr(test, kod).error is None)
            for kod in AGENCIES
        },
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
