"""Words customers use for the same thing, across English, French, Romanian and Dutch.

Written without accents: queries and documents are accent-folded before lookup.
A query word belonging to a group also searches for the group's other words,
at a lower weight than the words actually typed.

A word whose stem, under another language's rules, is a common word there stays out:
Romanian "extras" (statement) would otherwise expand the Dutch, English and French
"extra" (additional) into account statements.
"""

GROUPS: list[frozenset[str]] = [
    frozenset(s.split())
    for s in (
        "invoice invoices bill bills billing facture factures facturation factura facturi facturare factuur facturen facturatie",
        "credit avoir avoirs storno creditnota creditnotas",
        "contract contracts contrat contrats contractul contracte agreement overeenkomst",
        "terminate termination cancel cancellation stop arreter resilier resiliation reziliere rezilia reziliez denuntare opzeggen opzegging opzeg stopzetten beeindigen",
        "remove enlever retirer supprimer elimina eliminare scoate verwijderen schrappen",
        "maintenance entretien mentenanta intretinere onderhoud",
        "repair fix broken breakdown reparation reparer depannage panne reparatie repara defect defecta stricat herstel herstelling herstellen repareren kapot stuk",
        "order orders commande commandes comanda comenzi comenzile bestelling bestellingen bestellen",
        "delivery deliveries delivered shipment shipping parcel livraison livrer livre colis livrare livrat colet expediere levering geleverd leveren zending pakje pakket",
        "tracking track suivi suivre urmarire awb volgen",
        "payment pay paiement payer plata plati achitare betaling betalen",
        "statement releve soldes balance sold rekeninguittreksel rekeningoverzicht overzicht uittreksel saldo",
        "dispute contest contestation contester litige contestatie contesta reclamatie betwisting betwisten overcharged charged twice",
        "machine machines device devices equipment appareil appareils equipement echipament echipamente aparat dispozitiv toestel toestellen apparaat apparatuur",
        "warranty guarantee garantie garantia garantiei waarborg fabrieksgarantie",
        "copy duplicate copie duplicata exemplar kopie duplicaat",
        "phone call telephone appeler telefon suna apel bellen telefoon telefoonnummer lijn",
        "support helpdesk klantendienst klantenservice asistenta",
        "hours opening horaire horaires program orar openingsuren openingstijden",
        "access acces autorisation authorisation authorization autorizare permission toegang machtiging",
        "register registration inscription inscrire enregistrement inregistrare inregistrez registreren registratie inschrijven",
        "licence license licences licenses licenta licente licentei licentie licenties",
        "recycle recycling recyclage recycler reciclare recicla weee deee deeea recycleren aeea",
        "relocation relocate move demenagement deplacer deplacement mutare relocare muta verhuis verhuizen",
        "sold sell sale vendu vendre vente vandut vanzare vinde verkocht verkoop",
        "lease leasing bail location",
        "nonprofit nonprofits asbl ong association asociatie vzw vzws charity charities",
        "key keys cle cles cheie chei sleutel licentiesleutel",
        "download telecharger telechargement descarca descarcare downloaden",
        "return returns retour retourner returnare retur restituire terugsturen terugzenden",
        "refund reimburse rembourser remboursement rambursare ramburs terugbetaling terugbetalen",
        "laptop laptops portable portables notebook ordinateur calculator computer",
        "quote quotation estimate devis oferta cotatie offerte prijsofferte bestek prijsopgave kostenraming",
        "address adresse adresa adres",
        "renew renewal extend extension renouveler renouvellement prolonger reinnoire prelungire prelungesc verlengen verlenging hernieuwen",
        "fee fees frais taxa comision kosten vergoeding",
        "servicepac servicepack",
        "manufacturer brand fabricant constructeur marque producator fabrikant merk",
        "quota limit maximum cap limite plafond limita cota limiet quotum maximaal",
        "vendor supplier fournisseur vendeur furnizor furnizorul vanzator leverancier verkoper",
    )
]
