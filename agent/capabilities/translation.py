"""Translation: the protein a DNA (or RNA) sequence encodes, by a genetic code (Biopython's NCBI tables).

A computation, not a look-up: its Evidence cites the input's hash and the code table used, so the
answer says exactly what was done (frame 1 from the first base, up to the first stop codon).
"""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from genelm.agent.core.call import ToolContext, _Call
from genelm.agent.core.question import Intent
from genelm.agent.core.synthesis import Synthesis
from genelm.evidence import Evidence, sha256_hex
from genelm.i18n import _, tr

CODE_TABLES = "https://www.ncbi.nlm.nih.gov/Taxonomy/Utils/wprintgc.cgi"


class TranslateSequence(_Call):
    """Translate a DNA/RNA sequence to amino acids (frame 1, to the first stop codon) with an NCBI genetic code."""

    tool: Literal["translate_sequence"] = "translate_sequence"
    label: ClassVar[str] = "Translating the sequence"
    sequence: str = Field(pattern=r"^[ACGTUN]{3,30000}$")
    table: int = Field(1, ge=1, le=33, description="NCBI genetic code (1: standard, 2: vertebrate mitochondrial)")

    def run(self, ctx: ToolContext) -> list[Evidence]:
        from Bio.Data import CodonTable
        from Bio.Seq import Seq

        dna = self.sequence.replace("U", "T")
        usable = dna[: len(dna) // 3 * 3]
        protein = str(Seq(usable).translate(table=self.table, to_stop=True))
        stopped = len(protein) * 3 < len(usable)
        name = CodonTable.unambiguous_dna_by_id[self.table].names[0]
        record = {"nucleotides": len(dna), "protein": protein, "length_aa": len(protein), "table": self.table,
                  "table_name": name, "stop_codon_at": len(protein) * 3 + 1 if stopped else None,
                  "starts_with_atg": dna.startswith("ATG"), "input_sha256": sha256_hex(dna)}
        return [Evidence(
            key=f"translate:{sha256_hex(dna)[:12]}:{self.table}", source="computation",
            title=f"Translation of a {len(dna)}-nt sequence with NCBI genetic code {self.table} ({name}), frame 1",
            url=f"{CODE_TABLES}#SG{self.table}", params={"table": self.table, "frame": 1, "to_stop": True},
            sha256=sha256_hex(protein), records=[record], license=None, origin="computed",
        )]


class TranslationIntent(Intent):
    """'Translate this sequence to amino acids', 'what protein does ATG… encode?'"""

    name = "translation"

    def matches(self, q):
        return q.first("sequence") is not None

    def steps(self, q, ledger, step):
        table = 2 if q.has("mitochondri") else 1
        return [TranslateSequence(sequence=q.first("sequence").value, table=table)] if step == 0 else []

    def answer(self, q, ledger):
        s = Synthesis()
        for ev in ledger.values():
            if ev.source != "computation" or not ev.key.startswith("translate:"):
                continue
            rec = ev.records[0]
            values = {"code": rec["table_name"], "table": rec["table"], "nucleotides": rec["nucleotides"],
                      "amino_acids": rec["length_aa"], "protein": rec["protein"]}
            if rec["stop_codon_at"]:
                s.say(tr("Read in frame 1 from the first base with the {code} genetic code (NCBI table {table}), the "
                         "{nucleotides}-nt sequence encodes {amino_acids} amino acids, stopping at the first stop codon "
                         "(nt {stop}): {protein}", stop=rec["stop_codon_at"], **values), ev.key)
            else:
                s.say(tr("Read in frame 1 from the first base with the {code} genetic code (NCBI table {table}), the "
                         "{nucleotides}-nt sequence encodes {amino_acids} amino acids; it reads through without a stop "
                         "codon: {protein}", **values), ev.key)
            if not rec["starts_with_atg"]:
                s.note(_("The sequence does not start with ATG, so this need not be the protein's start."))
            s.short_answer = rec["protein"]
        return s
