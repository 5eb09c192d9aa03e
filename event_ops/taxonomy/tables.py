from piccolo.columns import Integer, Varchar
from piccolo.table import Table


class Competency(Table, tablename="competency"):
    code = Varchar(length=64, unique=True, index=True)
    sector = Varchar(length=32, index=True)
    level = Integer()
    name_nl = Varchar(length=200)
    name_en = Varchar(length=200)
    esco_uri = Varchar(length=300, default="")
