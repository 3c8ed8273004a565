"""An independent SOAP client over mutual TLS: zeep imports the gateway's WSDL
and asks with a client certificate, as a case system or its ombud does.

usage: zeep_mtls.py WSDL_URL CA CERT KEY [IIP_ADDRESS]
Prints one JSON object: each agency's outcome, or how the gateway refused."""
import datetime
import json
import sys

import requests
from lxml import etree
from zeep import Client
from zeep.exceptions import Fault
from zeep.transports import Transport

AGENCIES = ["AF", "CSN", "FK", "SKV", "SO", "TNS", "MIV"]
IIP = "http://www.idainfront.se/ns/iip/1.0"


def iip_header(address):
    """The seed's ombud header: iip:Iipax/iip:From/iip:Address."""
    iipax = etree.Element("{%s}Iipax" % IIP, nsmap={"iip": IIP})
    etree.SubElement(etree.SubElement(iipax, "{%s}From" % IIP), "{%s}Address" % IIP).text = address
    return iipax


def main():
    wsdl, ca, cert, key = sys.argv[1:5]
    session = requests.Session()
    # REQUESTS_CA_BUNDLE in the environment would override session.verify.
    session.trust_env = False
    session.verify = ca
    if cert != "-":
        session.cert = (cert, key)
    try:
        client = Client(wsdl, transport=Transport(session=session))
    except requests.exceptions.RequestException as e:
        print(json.dumps({"refused": "transport: %s" % type(e).__name__}))
        return
    headers = [iip_header(sys.argv[5])] if len(sys.argv) > 5 else None
    try:
        svar = client.service.hamtaBastjanstInformation(
            generellaFrageparametrar={
                "korrelationsid": "ZEEP-MTLS",
                "fraganSkallInkluderasISvaret": False,
                "ingivare": {"organisationsnummer": "162120002411", "namn": "Exempelkommun", "handlaggare": "h1"},
                "personidentitet": "191212121212",
                "arendeidentitet": "A1",
                "tidsperiod": {"fromDatum": datetime.date(2026, 8, 1), "tomDatum": datetime.date(2026, 10, 31)},
                "syfte": "Utredning av ekonomiskt bistånd",
                "lagtext": "11 kap. 11 a § socialtjänstlagen",
            },
            specifikaFrageparametrar={kod: {"inkludera": True} for kod in AGENCIES},
            _soapheaders=headers,
        )
    except Fault as f:
        felkod = f.detail.find(".//{*}felkod") if f.detail is not None else None
        print(json.dumps({"refused": "fault %s" % (felkod.text if felkod is not None else f.message)}))
        return
    out = {}
    for kod in AGENCIES:
        el = getattr(svar.svarsdata, kod)
        error = getattr(el, "error", None) if el is not None else None
        out[kod] = "data" if el is not None and error is None else ("missing" if el is None else "%s/%s" % (error.kalla, error.felkod))
    print(json.dumps({"hamta": out}))


if __name__ == "__main__":
    main()
