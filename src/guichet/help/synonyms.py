"""Words customers use for the same thing, across English, French, Romanian (and Dutch).

Written without accents: queries and documents are accent-folded before lookup.
A query word belonging to a group also searches for the group's other words,
at a lower weight than the words actually typed.
"""

GROUPS: list[frozenset[str]] = [
    frozenset(s.split())
    for s in (
        "invoice invoices bill bills billing facture factures facturation factura facturi facturare factuur",
        "credit avoir avoirs storno creditnota",
        "contract contracts contrat contrats contractul contracte agreement overeenkomst",
        "terminate termination cancel cancellation stop arreter resilier resiliation reziliere rezilia reziliez denuntare opzeggen stopzetten",
        "remove enlever retirer supprimer elimina eliminare scoate verwijderen",
        "maintenance entretien mentenanta intretinere onderhoud",
        "repair fix broken breakdown reparation reparer depannage panne reparatie repara defect defecta stricat herstel",
        "order orders commande commandes comanda comenzi comenzile bestelling",
        "delivery deliveries delivered shipment shipping parcel livraison livrer livre colis livrare livrat colet expediere levering geleverd",
        "tracking track suivi suivre urmarire awb",
        "payment pay paiement payer plata plati achitare betaling",
        "statement releve extras soldes balance sold rekeninguittreksel rekeningoverzicht overzicht",
        "dispute contest contestation contester litige contestatie contesta reclamatie betwisting overcharged charged twice",
        "machine machines device devices equipment appareil appareils equipement echipament echipamente aparat dispozitiv",
        "warranty guarantee garantie garantia garantiei waarborg fabrieksgarantie",
        "copy duplicate copie duplicata exemplar kopie",
        "phone call telephone appeler telefon suna apel bellen telefoonnummer",
        "support helpdesk klantendienst klantenservice asistenta",
        "hours opening horaire horaires program orar openingsuren",
        "access acces autorisation authorisation authorization autorizare permission toegang",
        "register registration inscription inscrire enregistrement inregistrare inregistrez registreren",
        "licence license licences licenses licenta licente licentei licentie",
        "recycle recycling recyclage recycler reciclare recicla weee deee deeea",
        "relocation relocate move demenagement deplacer deplacement mutare relocare muta verhuis",
        "sold sell sale vendu vendre vente vandut vanzare vinde verkocht",
        "lease leasing bail location",
        "nonprofit nonprofits asbl ong association asociatie vzw charity charities",
        "key keys cle cles cheie chei",
        "download telecharger telechargement descarca descarcare downloaden",
        "return returns retour retourner returnare retur restituire terugsturen",
        "refund reimburse rembourser remboursement rambursare ramburs terugbetaling",
        "laptop laptops portable portables notebook ordinateur calculator computer",
        "quote quotation devis oferta cotatie offerte",
        "address adresse adresa adres",
        "renew renewal extend extension renouveler renouvellement prolonger reinnoire prelungire prelungesc verlengen",
        "fee fees frais taxa comision kosten",
        "servicepac servicepack",
    )
]
