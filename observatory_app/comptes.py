"""Accounts of the deposit page: who may deposit files of which départements (pure, no Streamlit).

The accounts live in a file outside the repository, named by `OBSERVATOIRE_DEPOT_COMPTES`: a
`;`-separated CSV with the header `identifiant;departements;empreinte`, one account a line:

    identifiant;departements;empreinte
    siao-gironde;33;scrypt$16384$8$1$<sel>$<empreinte>
    equipe-donnees;*;scrypt$16384$8$1$<sel>$<empreinte>

`departements` lists the codes (`33|40`) whose files the account may deposit, or `*` for every file,
national ones included (SNE, offre: files without a département). The password is never stored:
`empreinte` is a salted scrypt hash (standard library, memory-hard, a random 16-byte salt per
account), written by `python -m observatory_app.comptes IDENTIFIANT DEPARTEMENTS` which asks for the
password. A line whose `empreinte` is not such a hash refuses the whole file (a password in clear).

When the server has an OpenID Connect provider configured for Streamlit's native `st.login`
(section `[auth]` of `.streamlit/secrets.toml`), the page signs in through it instead: the account
is then the line whose `identifiant` is the e-mail address the provider vouches for and whose
`empreinte` is the word `oidc` (no password is kept, and such an account cannot sign in with one):

    coordination.gironde@example.fr;33;oidc

The département of a file is read from its name, by the ingestion's grammar
(`assets.ingest.naming`): `siao_<DEP>_…` → DEP; `ndls_<COMMUNE>_…` → the commune's département
(`97x` for the overseas départements); SNE and offre files are national (no département).
"""

from __future__ import annotations

import base64
import csv
import getpass
import hashlib
import hmac
import io
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

VARIABLE_COMPTES = "OBSERVATOIRE_DEPOT_COMPTES"
TOUS = "*"
ENTETE = ("identifiant", "departements", "empreinte")
#: scrypt cost: N = 2^14, r = 8, p = 1 (16 MiB, about 50 ms a check)
N, R, P = 2**14, 8, 1
RACINE = Path(__file__).resolve().parents[1]


#: `empreinte` of an account that signs in through the OIDC provider (st.login), never by password.
OIDC = "oidc"


class ComptesInvalides(ValueError):
    """The accounts file cannot be used; the message is French."""


@dataclass(frozen=True)
class Compte:
    identifiant: str
    departements: frozenset[str]
    empreinte: str

    @property
    def national(self) -> bool:
        return TOUS in self.departements

    def libelle_departements(self) -> str:
        """« du département 75 », « des départements 33, 40 », « de tous les départements et nationaux »."""
        if self.national:
            return "de tous les départements et nationaux"
        codes = sorted(self.departements)
        return ("du département " if len(codes) == 1 else "des départements ") + ", ".join(codes)

    def peut_deposer(self, departement: str | None) -> bool:
        """Whether the account may deposit a file of this département (None: a national file)."""
        return self.national or (departement is not None and departement in self.departements)


def _b64(octets: bytes) -> str:
    return base64.b64encode(octets).decode("ascii")


def empreinte(mot_de_passe: str, sel: bytes | None = None) -> str:
    """`scrypt$N$r$p$<salt>$<hash>` of a password (random salt unless given)."""
    sel = sel if sel is not None else secrets.token_bytes(16)
    cle = hashlib.scrypt(mot_de_passe.encode("utf-8"), salt=sel, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(sel)}${_b64(cle)}"


def _parties(valeur: str) -> tuple[int, int, int, bytes, bytes] | None:
    morceaux = valeur.split("$")
    if len(morceaux) != 6 or morceaux[0] != "scrypt":
        return None
    try:
        n, r, p = (int(x) for x in morceaux[1:4])
        return n, r, p, base64.b64decode(morceaux[4], validate=True), base64.b64decode(morceaux[5], validate=True)
    except ValueError:
        return None


def mot_de_passe_correct(mot_de_passe: str, valeur: str) -> bool:
    """Constant-time comparison of the password's scrypt hash with the stored one."""
    parties = _parties(valeur)
    if parties is None:
        return False
    n, r, p, sel, attendu = parties
    calcule = hashlib.scrypt(mot_de_passe.encode("utf-8"), salt=sel, n=n, r=r, p=p, dklen=len(attendu))
    return hmac.compare_digest(calcule, attendu)


def fichier_comptes() -> Path | None:
    """The accounts file named by OBSERVATOIRE_DEPOT_COMPTES, or None when deposits are off."""
    valeur = os.environ.get(VARIABLE_COMPTES, "").strip()
    return Path(valeur) if valeur else None


def charger(chemin: Path | str) -> dict[str, Compte]:
    """The accounts of the file, by identifiant; `ComptesInvalides` (French) when it cannot be used."""
    chemin = Path(chemin)
    if chemin.resolve().is_relative_to(RACINE):
        raise ComptesInvalides(
            f"Le fichier des comptes de dépôt ({chemin}) est dans le dépôt du code : placez-le hors du dépôt "
            "(il ne doit jamais être versionné)."
        )
    try:
        texte = chemin.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ComptesInvalides(f"Fichier des comptes de dépôt illisible ({chemin}) : {exc.strerror or exc}.") from None
    lignes = [ligne for ligne in texte.splitlines() if ligne.strip() and not ligne.lstrip().startswith("#")]
    lecteur = csv.reader(io.StringIO("\n".join(lignes)), delimiter=";")
    entete = next(lecteur, None)
    if entete is None or tuple(c.strip() for c in entete) != ENTETE:
        raise ComptesInvalides(f"Fichier des comptes de dépôt ({chemin}) : l'en-tête doit être « {';'.join(ENTETE)} ».")
    comptes: dict[str, Compte] = {}
    for numero, champs in enumerate(lecteur, start=2):
        if len(champs) != 3:
            raise ComptesInvalides(f"Fichier des comptes de dépôt, ligne {numero} : trois champs attendus.")
        identifiant, departements, valeur = (c.strip() for c in champs)
        if valeur != OIDC and _parties(valeur) is None:
            raise ComptesInvalides(
                f"Fichier des comptes de dépôt, ligne {numero} (« {identifiant} ») : l'empreinte n'est pas une "
                "empreinte scrypt (un mot de passe ne doit jamais être écrit en clair) ; créez-la avec "
                "`python -m observatory_app.comptes`."
            )
        codes = frozenset(c.strip().upper() for c in departements.split("|") if c.strip())
        if not identifiant or not codes:
            raise ComptesInvalides(f"Fichier des comptes de dépôt, ligne {numero} : identifiant ou départements vides.")
        comptes[identifiant] = Compte(identifiant, codes, valeur)
    return comptes


_LEURRE = empreinte("", sel=b"\x00" * 16)


def authentifier(identifiant: str, mot_de_passe: str, chemin: Path | str | None = None) -> Compte | None:
    """The account when the password is right, else None (an unknown identifiant costs the same time)."""
    chemin = chemin if chemin is not None else fichier_comptes()
    if chemin is None or not identifiant or not mot_de_passe:
        return None
    compte = charger(chemin).get(identifiant.strip())
    correct = mot_de_passe_correct(mot_de_passe, compte.empreinte if compte else _LEURRE)
    return compte if compte is not None and correct else None


def oidc_configure(secrets: object) -> bool:
    """Whether Streamlit's `st.login` has a provider: a section `auth` of the secrets with a client
    (`client_id` at its top level or in a named provider's sub-section)."""
    try:
        auth = secrets.get("auth") if hasattr(secrets, "get") else None
    except Exception:  # noqa: BLE001 — no secrets file at all: Streamlit raises its own error
        return False
    if not hasattr(auth, "get"):
        return False
    if auth.get("client_id"):
        return True
    return any(hasattr(v, "get") and v.get("client_id") for v in auth.values())


def compte_oidc(email: str | None, chemin: Path | str | None = None) -> Compte | None:
    """The account of the e-mail address the OIDC provider vouched for (an `oidc` line whose
    identifiant is that address, compared without case), else None."""
    chemin = chemin if chemin is not None else fichier_comptes()
    if chemin is None or not email:
        return None
    cle = email.strip().casefold()
    return next((c for c in charger(chemin).values() if c.empreinte == OIDC and c.identifiant.casefold() == cle), None)


def departement_du_fichier(nom: str) -> str | None:
    """The département a landing file belongs to, from its name (None: a national file)."""
    from assets.ingest.naming import landing_file_name

    fichier = landing_file_name(nom)
    if fichier is None:
        return None
    if fichier.departement:
        return fichier.departement.upper()
    if fichier.commune:
        commune = fichier.commune.upper()
        return commune[:3] if commune.startswith("97") else commune[:2]
    return None


def refus(compte: Compte | None, nom: str) -> str | None:
    """Why `compte` may not deposit the file `nom` (French), or None when it may."""
    if compte is None:
        return "Dépôt refusé : connectez-vous avec un compte de dépôt."
    departement = departement_du_fichier(nom)
    if compte.peut_deposer(departement):
        return None
    concerne = f"le département {departement}" if departement else "toute la France (fichier national)"
    return (f"Dépôt refusé : le compte « {compte.identifiant} » ne peut déposer que les fichiers "
            f"{compte.libelle_departements()} ; « {nom} » concerne {concerne}.")


def main(argv: list[str] | None = None) -> int:
    """`python -m observatory_app.comptes IDENTIFIANT DEPARTEMENTS`: asks for the password twice and
    prints the account's line for the accounts file (DEPARTEMENTS: `33`, `33|40` or `*`)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage : python -m observatory_app.comptes IDENTIFIANT DEPARTEMENTS (ex. 33, 33|40 ou *)",
              file=sys.stderr)
        return 2
    identifiant, departements = args
    mot_de_passe = getpass.getpass("Mot de passe : ")
    if len(mot_de_passe) < 12:
        print("Mot de passe trop court : 12 caractères au moins.", file=sys.stderr)
        return 1
    if getpass.getpass("Mot de passe (à nouveau) : ") != mot_de_passe:
        print("Les deux saisies diffèrent.", file=sys.stderr)
        return 1
    print(f"{identifiant};{departements};{empreinte(mot_de_passe)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
