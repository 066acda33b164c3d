"""The plugin: menu, toolbar and the actions a department's clerk uses daily."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QInputDialog

from zhytomyr_gis import errors
from zhytomyr_gis.errors import DatabaseRefusal
from zhytomyr_gis.registers import BY_TABLE
from zhytomyr_gis.workflow_client import Change, Department, WorkflowClient, WorkflowError
from zhytomyr_gis_plugin import _bootstrap, i18n, settings
from zhytomyr_gis_plugin.connection import Connection, ConnectionProblem
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.layers import loader

# Subpackages are imported as "from package import module": QGIS's import
# tracker (qgis.utils._import) records the package and the module that way,
# and unloadPlugin() removes only what it recorded.
ICONS = Path(__file__).resolve().parent / "icons"
MESSAGE_SECONDS = 8


def icon(name: str) -> QIcon:
    return QIcon(str(ICONS / f"{name}.svg"))


class ZhytomyrGisPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.translator = i18n.install_translator()
        self.actions: list[QAction] = []
        self.menu_name = tr("&Zhytomyr City GIS")
        self.toolbar = None
        self.dock = None
        self.review_dock = None
        self.history_dock = None
        self.provider = None
        self.workspace: loader.Workspace | None = None
        self.task: loader.LoadWorkspaceTask | None = None

    # ------------------------------------------------------------ lifecycle
    def initGui(self) -> None:  # noqa: N802 - QGIS's name
        self.toolbar = self.iface.addToolBar(tr("Zhytomyr City GIS"))
        self.toolbar.setObjectName("ZhytomyrGisToolbar")
        self._action("workspace", tr("Open my workspace"), self.open_workspace, toolbar=True)
        self._action("submit", tr("Submit selected for verification"), self.submit_selected, toolbar=True)
        self._action("withdraw", tr("Withdraw selected submission"), self.withdraw_selected, toolbar=True)
        self._action("changes", tr("My changes"), self.show_my_changes, toolbar=True)
        self._action("review", tr("Review changes"), self.show_review, toolbar=True)
        self._action("history", tr("Feature history"), self.show_history, toolbar=True)
        self._action("connection", tr("Connection settings…"), self.configure_connection)
        self._action("styles", tr("Request new forms and styles (GIS administrator)"), self.store_styles)
        # QGIS calls initProcessing() itself for plugins declaring a provider; once is enough.
        self.initProcessing()

    def initProcessing(self) -> None:  # noqa: N802 - QGIS's name
        from zhytomyr_gis_plugin.processing import provider

        if self.provider is None:
            self.provider = provider.ZhytomyrGisProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def _action(self, icon_name: str, text: str, slot, toolbar: bool = False) -> QAction:
        action = QAction(icon(icon_name), text, self.iface.mainWindow())
        action.setObjectName(f"zhytomyr_gis_{icon_name}")
        action.triggered.connect(lambda _checked=False: slot())
        self.iface.addPluginToDatabaseMenu(self.menu_name, action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def unload(self) -> None:
        """Remove everything initGui() and the user's work added: menu, toolbar, dock,
        workspace guards, translator, and the core modules the plugin made importable."""
        if self.task is not None:
            self._cancel_task()
        for action in self.actions:
            self.iface.removePluginDatabaseMenu(self.menu_name, action)
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        for name in ("dock", "review_dock", "history_dock"):
            dock = getattr(self, name)
            if dock is not None:
                if hasattr(dock, "overlay"):
                    dock.overlay.clear()
                self.iface.removeDockWidget(dock)
                dock.deleteLater()
                setattr(self, name, None)
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        self._release_workspace()
        i18n.remove_translator(self.translator)
        self.translator = None
        _bootstrap.forget_core()

    def _cancel_task(self) -> None:
        try:
            if self.task.status() not in (QgsTask.Complete, QgsTask.Terminated):
                self.task.cancel()
        except RuntimeError:
            pass  # the task manager already deleted the finished task
        self.task = None

    def _release_workspace(self) -> None:
        if self.workspace is not None:
            for guard in self.workspace.guards:
                guard.disconnect()
            for reporter in self.workspace.reporters:
                reporter.disconnect()
            for order in self.workspace.save_orders:
                order.disconnect()
            self.workspace = None

    # ------------------------------------------------------------- helpers
    def message(self, text: str, level=Qgis.Info, title: str | None = None) -> None:
        duration = 0 if level == Qgis.Critical else MESSAGE_SECONDS
        self.iface.messageBar().pushMessage(title or tr("Zhytomyr City GIS"), text, level, duration)

    def problem(self, problem: errors.Problem) -> None:
        self.message(str(problem), Qgis.Critical)

    def connection(self) -> Connection:
        return Connection.from_settings()

    def with_client(self, work):
        """Run work(WorkflowClient) on a fresh connection; explain any failure in the message bar."""
        try:
            conn = self.connection().connect()
        except ConnectionProblem as error:
            self.problem(error.problem)
            return None
        try:
            return work(WorkflowClient(conn))
        except WorkflowError as error:
            self.problem(error.problem)
            return None
        finally:
            conn.close()

    def with_connection(self, work):
        """Run work(psycopg2 connection) as the configured user; a refusal of the
        database or a failed connection ends up in the message bar, and None returns."""
        try:
            conn = self.connection().connect()
        except ConnectionProblem as error:
            self.problem(error.problem)
            return None
        try:
            return work(conn)
        except DatabaseRefusal as refusal:
            self.problem(refusal.problem)
            return None
        finally:
            conn.close()

    # ------------------------------------------------------------ connection
    def configure_connection(self) -> bool:
        from zhytomyr_gis_plugin.gui import connection_dialog

        dialog = connection_dialog.ConnectionDialog(self.iface.mainWindow())
        return dialog.exec_() == dialog.Accepted

    # ------------------------------------------------------------- workspace
    def choose_department(self, departments: list[Department]) -> Department | None:
        if len(departments) == 1:
            return departments[0]
        last = settings.get(settings.DEPARTMENT)
        titles = [d.title_uk for d in departments]
        current = next((i for i, d in enumerate(departments) if d.code == last), 0)
        title, ok = QInputDialog.getItem(
            self.iface.mainWindow(), tr("Open my workspace"), tr("Department:"), titles, current, False
        )
        return departments[titles.index(title)] if ok else None

    def open_workspace(self, department: str | None = None, background: bool = True) -> None:
        if not settings.get(settings.CONFIGURED) and not self.configure_connection():
            return
        departments = self.with_client(lambda client: client.my_departments())
        if departments is None:
            return
        if not departments:
            self.problem(
                errors.Problem("permission", tr("your user is not a member of any department of the city GIS."))
            )
            return
        chosen = next((d for d in departments if d.code == department), None) if department else None
        chosen = chosen or self.choose_department(departments)
        if chosen is None:
            return
        settings.set(settings.DEPARTMENT, chosen.code)
        self.task = loader.LoadWorkspaceTask(
            self.connection(), chosen.code, chosen.title_uk, chosen.can_edit, self._workspace_loaded
        )
        if background:
            QgsApplication.taskManager().addTask(self.task)
        else:
            self.task.finished(self.task.run())

    def _workspace_loaded(self, plan, layers, error: str | None) -> None:
        if error:
            self.message(error, Qgis.Critical, tr("The workspace could not be opened"))
            return
        self._release_workspace()
        self.workspace = loader.add_to_project(
            QgsProject.instance(), plan, layers, self.task.department, self.iface.messageBar()
        )
        extent_layer = self.workspace.layers.get("ref.city_boundary")
        if extent_layer is not None and self.iface.mapCanvas() is not None:
            self.iface.mapCanvas().setExtent(extent_layer.extent())
            self.iface.mapCanvas().refresh()
        self.message(tr("Workspace opened: {count} layers").format(count=len(layers)), Qgis.Success)

    # ------------------------------------------------------------ submitting
    def _register_of(self, layer) -> str | None:
        if not isinstance(layer, QgsVectorLayer):
            return None
        if layer.customProperty(loader.ROLE_PROPERTY) != "register":
            return None
        return layer.customProperty(loader.REGISTER_PROPERTY)

    def _selected(self, layer) -> tuple[str, list[int]] | None:
        layer = layer or self.iface.activeLayer()
        table = self._register_of(layer)
        if table is None:
            self.message(tr("Select features in a register layer of your workspace first."), Qgis.Warning)
            return None
        if layer.isEditable() and layer.isModified():
            self.message(tr("Save the edits of «{layer}» first.").format(layer=layer.name()), Qgis.Warning)
            return None
        ids = loader.record_ids(layer, layer.selectedFeatureIds())
        if not ids:
            self.message(tr("No features are selected in «{layer}».").format(layer=layer.name()), Qgis.Warning)
            return None
        return table, ids

    def submit_selected(self, layer=None, note: str | None = None, ask_note: bool = True) -> int | None:
        selected = self._selected(layer)
        if selected is None:
            return None
        table, ids = selected
        if note is None and ask_note:
            note, ok = QInputDialog.getText(
                self.iface.mainWindow(), tr("Submit for verification"), tr("Note for the verifier (optional):")
            )
            if not ok:
                return None
        count = self.with_client(lambda client: client.submit(table, ids, note or None))
        if count:
            self._refresh(layer or self.iface.activeLayer())
            self.message(
                tr("Submitted for verification: {count} record(s) of «{register}»").format(
                    count=count, register=BY_TABLE[table].title_uk
                ),
                Qgis.Success,
            )
        return count

    def withdraw_selected(self, layer=None) -> int | None:
        selected = self._selected(layer)
        if selected is None:
            return None
        table, ids = selected
        count = self.with_client(lambda client: client.withdraw(table, ids))
        if count:
            self._refresh(layer or self.iface.activeLayer())
            self.message(tr("Withdrawn to drafts: {count} record(s)").format(count=count), Qgis.Success)
        return count

    def withdraw_changes(self, changes: list[Change]) -> None:
        by_table: dict[str, list[int]] = {}
        for change in changes:
            by_table.setdefault(change.table, []).append(change.record_id)
        for table, ids in by_table.items():
            if self.with_client(lambda client, t=table, i=ids: client.withdraw(t, i)):
                self.message(tr("Withdrawn to drafts: {count} record(s)").format(count=len(ids)), Qgis.Success)
        if self.workspace:
            for table in by_table:
                self._refresh(self.workspace.register_layer(table))

    def _refresh(self, layer) -> None:
        if layer is not None:
            layer.dataProvider().reloadData()
            layer.triggerRepaint()

    # ------------------------------------------------------------ my changes
    def my_changes(self) -> list[Change]:
        return self.with_client(lambda client: client.my_changes()) or []

    def show_my_changes(self):
        from zhytomyr_gis_plugin.gui import my_changes_dock

        if self.dock is None:
            self.dock = my_changes_dock.MyChangesDock(self.my_changes, self.withdraw_changes, self.zoom_to)
            self.iface.addDockWidget(Qt.BottomDockWidgetArea, self.dock)  # a wide table, like the attribute table
        self.dock.show()
        self.dock.refresh()
        return self.dock

    # --------------------------------------------------------------- review
    def show_review(self):
        from zhytomyr_gis_plugin.gui import review_dock

        if self.review_dock is None:
            self.review_dock = review_dock.ReviewDock(
                self.with_connection, self.iface.mapCanvas(), self.message, self.reload_register
            )
            self.iface.addDockWidget(Qt.RightDockWidgetArea, self.review_dock)
        self.review_dock.show()
        if settings.get(settings.CONFIGURED):
            self.review_dock.refresh()
        return self.review_dock

    def show_history(self, layer=None):
        """The history dock, showing the selected feature of the (active) register layer."""
        from zhytomyr_gis_plugin.gui import history_dock

        if self.history_dock is None:
            self.history_dock = history_dock.HistoryDock(
                self.with_connection, self.iface.mapCanvas(), self.message, self.reload_register
            )
            self.history_dock.selected_button.clicked.connect(lambda: self.show_history())
            self.iface.addDockWidget(Qt.BottomDockWidgetArea, self.history_dock)
        self.history_dock.show()
        layer = layer or self.iface.activeLayer()
        table = self._register_of(layer)
        ids = loader.record_ids(layer, layer.selectedFeatureIds()) if table else []
        if table and len(ids) == 1:
            self.history_dock.show_record(table, ids[0])
        elif settings.get(settings.CONFIGURED):
            self.message(tr("Select one feature of a register layer to see its history."), Qgis.Warning)
        return self.history_dock

    def reload_register(self, table: str) -> None:
        """Show the database's state of a register in every layer of the project that holds it."""
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.customProperty(loader.REGISTER_PROPERTY) == table:
                self._refresh(layer)

    def zoom_to(self, change: Change) -> None:
        layer = self.workspace.register_layer(change.table) if self.workspace else None
        if layer is None:
            return
        layer.selectByIds(loader.feature_ids(layer, [change.record_id]))
        if layer.isSpatial() and self.iface.mapCanvas() is not None:
            self.iface.mapCanvas().zoomToSelected(layer)

    # ---------------------------------------------------------------- styles
    def store_styles(self) -> int | None:
        """Request the registers' forms and styles; another GIS administrator approves them."""
        from zhytomyr_gis_plugin.layers import styles

        connection = self.connection()
        try:
            conn = connection.connect()  # parameters as keywords: libpq does the quoting
        except ConnectionProblem as error:
            self.problem(error.problem)
            return None
        try:
            requests = styles.request_styles(
                conn, connection.base_uri(), tr("Forms and styles built by the plugin"), log=lambda _line: None
            )
        except styles.StyleError as error:
            self.problem(errors.explain_qgis(str(error)))
            return None
        except Exception as error:  # psycopg2 errors (not a GIS administrator...)
            self.problem(errors.explain_psycopg(error))
            return None
        finally:
            conn.close()
        count = len(requests)
        self.message(
            tr(
                "Forms and styles of {count} registers requested; users get them when another administrator approves"
            ).format(count=count),
            Qgis.Success,
        )
        return count
