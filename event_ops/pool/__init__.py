"""The candidate pool: visitors who chose to stay findable for employers between events.

Everything an employer sees of a pool member before the member accepts a contact request is
anonymous: a pseudonym (``PoolMember.ref``), competencies with levels, sectors, education level,
availability, hours, and a rounded distance. Never the name, contact details, the exact postcode
or any free text.
"""
