"""FpdfInvoiceRenderer: an invoice as a one-or-more page A4 PDF (fpdf2, imported on first use)."""

from __future__ import annotations

from chalicelib.domain.billing.entities import Invoice, Party
from chalicelib.domain.shared.money import format_cents


def _text(value: str) -> str:
    """The core PDF fonts speak Latin-1: anything else is replaced, never an error."""
    return value.encode("latin-1", "replace").decode("latin-1")


class FpdfInvoiceRenderer:
    """Implements InvoiceRenderer: seller, buyer, lines, totals and the tax line when tax is configured."""

    def render(self, invoice: Invoice) -> bytes:
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.set_title(_text(f"Invoice {invoice.number}"))
        pdf.set_author(_text(invoice.seller.name))
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 18)
        pdf.cell(0, 10, _text(f"Invoice {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for label, value in (
            ("Issued", invoice.created_at.strftime("%Y-%m-%d")),
            ("Period", invoice.period),
            ("Due", invoice.due_date.strftime("%Y-%m-%d")),
            (
                "Status",
                invoice.status
                + (f" ({invoice.paid_at:%Y-%m-%d}, prepaid wallet)" if invoice.paid_at else ""),
            ),
        ):
            pdf.cell(0, 6, _text(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        top = pdf.get_y()
        self._party(pdf, "From", invoice.seller, 10, top)
        self._party(pdf, "Bill to", invoice.buyer, 110, top)
        pdf.set_y(max(pdf.get_y(), top + 36))
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(120, 8, "Description", border="B")
        pdf.cell(30, 8, "Quantity", border="B", align="R")
        pdf.cell(40, 8, f"Amount ({invoice.currency})", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for line in invoice.lines:
            pdf.cell(120, 7, _text(line.description[:70]))
            pdf.cell(30, 7, _text(line.quantity), align="R")
            pdf.cell(40, 7, format_cents(line.amount_cents), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        if invoice.tax_cents:
            net = invoice.amount_cents - invoice.tax_cents
            pdf.cell(150, 7, "Net", align="R")
            pdf.cell(40, 7, format_cents(net), align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.cell(150, 7, _text(f"{invoice.tax_name or 'Tax'} (included)"), align="R")
            pdf.cell(40, 7, format_cents(invoice.tax_cents), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(150, 8, "Total", align="R")
        pdf.cell(
            40,
            8,
            f"{format_cents(invoice.amount_cents)} {invoice.currency}",
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return bytes(pdf.output())

    @staticmethod
    def _party(pdf: object, title: str, party: Party, x: float, y: float) -> None:
        from fpdf import FPDF

        assert isinstance(pdf, FPDF)
        pdf.set_xy(x, y)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(90, 6, title, new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for value in (
            party.name,
            *party.address.splitlines(),
            party.email,
            f"Tax id: {party.tax_id}" if party.tax_id else "",
        ):
            if value:
                pdf.cell(90, 5, _text(value), new_x="LEFT", new_y="NEXT")
