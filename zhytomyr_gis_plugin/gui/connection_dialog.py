"""First-run dialog: where the city database is (a pg_service entry) and who
connects (a QGIS authentication configuration). The password goes to the
QGIS authentication manager only."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from zhytomyr_gis import errors, pgservice
from zhytomyr_gis.workflow_client import WorkflowClient, WorkflowError
from zhytomyr_gis_plugin import settings
from zhytomyr_gis_plugin.connection import Connection, ConnectionProblem, store_basic_auth
from zhytomyr_gis_plugin.i18n import tr


class ConnectionDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Zhytomyr City GIS: connection"))
        self.setMinimumWidth(460)
        service = settings.get(settings.SERVICE)
        existing = pgservice.read(service) or {}
        self.service = QLineEdit(service)
        self.host = QLineEdit(existing.get("host", "127.0.0.1"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(existing.get("port", 5432)))
        self.dbname = QLineEdit(existing.get("dbname", "zhytomyr_gis"))
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("Service (pg_service.conf)"), self.service)
        form.addRow(tr("Server"), self.host)
        form.addRow(tr("Port"), self.port)
        form.addRow(tr("Database"), self.dbname)
        form.addRow(tr("User name"), self.user)
        form.addRow(tr("Password"), self.password)
        hint = QLabel(
            tr(
                "The password is kept encrypted by the QGIS authentication manager; "
                "projects and settings only refer to it."
            )
        )
        hint.setWordWrap(True)
        test = QPushButton(tr("Test connection"))
        test.clicked.connect(self.test)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(test)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def save(self) -> Connection:
        """Write the service entry and the credentials; returns the connection they make."""
        name = self.service.text().strip() or settings.DEFAULTS[settings.SERVICE]
        pgservice.write(name, self.host.text().strip(), self.port.value(), self.dbname.text().strip())
        authcfg = store_basic_auth(
            tr("Zhytomyr City GIS ({user})").format(user=self.user.text().strip()),
            self.user.text().strip(),
            self.password.text(),
            settings.get(settings.AUTHCFG) or None,
        )
        settings.set(settings.SERVICE, name)
        settings.set(settings.AUTHCFG, authcfg)
        return Connection(name, authcfg)

    def test(self) -> errors.Problem | None:
        """Save, connect and ask for the user's departments; shows and returns the problem, if any."""
        try:
            connection = self.save()
            conn = connection.connect()
            try:
                departments = WorkflowClient(conn).my_departments()
            finally:
                conn.close()
        except (ConnectionProblem, WorkflowError) as error:
            self.status.setText(str(error.problem))
            return error.problem
        if not departments:
            problem = errors.Problem("permission", tr("the user is not a member of any department of the city GIS."))
            self.status.setText(str(problem))
            return problem
        self.status.setText(
            tr("Connected. Departments: {names}").format(names=", ".join(d.title_uk for d in departments))
        )
        return None

    def _accept(self) -> None:
        if self.test() is None:
            settings.set(settings.CONFIGURED, True)
            self.accept()
