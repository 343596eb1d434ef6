"""Flask extensions, created unbound and attached in :func:`tracker.create_app`."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from tracker.core.migrate import LazyMigrate

#: Predictable constraint names, so that migrations can refer to them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

#: The base class of every model: ``db.Model`` (a subclass of :class:`Base` made by
#: Flask-SQLAlchemy at run time), named so that type checkers can follow it.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = LazyMigrate()  # Flask-Migrate imported only when a migration runs
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
