<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../gui/connection_dialog.py" line="28"/>
        <source>Zhytomyr City GIS: connection</source>
        <translation>Житомирська міська ГІС: підключення</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="45"/>
        <source>Service (pg_service.conf)</source>
        <translation>Служба (pg_service.conf)</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="46"/>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="47"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="48"/>
        <source>Database</source>
        <translation>База даних</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="49"/>
        <source>User name</source>
        <translation>Ім'я користувача</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="50"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="51"/>
        <source>The password is kept encrypted by the QGIS authentication manager; projects and settings only refer to it.</source>
        <translation>Пароль зберігається зашифрованим у менеджері автентифікації QGIS; проєкти та налаштування лише посилаються на нього.</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="58"/>
        <source>Test connection</source>
        <translation>Перевірити підключення</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="74"/>
        <source>Zhytomyr City GIS ({user})</source>
        <translation>Житомирська міська ГІС ({user})</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="97"/>
        <source>the user is not a member of any department of the city GIS.</source>
        <translation>користувач не входить до жодного підрозділу міської ГІС.</translation>
    </message>
    <message>
        <location filename="../gui/connection_dialog.py" line="100"/>
        <source>Connected. Departments: {names}</source>
        <translation>Підключено. Підрозділи: {names}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="49"/>
        <source>My changes</source>
        <translation>Мої зміни</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="42"/>
        <source>Refresh</source>
        <translation>Оновити</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="44"/>
        <source>Withdraw selected</source>
        <translation>Відкликати вибрані</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="74"/>
        <source>Drafts: {draft} · submitted: {submitted} · rejected: {rejected}</source>
        <translation>Чернеток: {draft} · на перевірці: {submitted} · відхилено: {rejected}</translation>
    </message>
    <message>
        <location filename="../layers/commit_report.py" line="64"/>
        <source>Changes to «{layer}» were not saved</source>
        <translation>Зміни шару «{layer}» не збережено</translation>
    </message>
    <message>
        <location filename="../layers/loader.py" line="49"/>
        <source>Layer «{name}» ({table}) could not be opened: {error}</source>
        <translation>Не вдалося відкрити шар «{name}» ({table}): {error}</translation>
    </message>
    <message>
        <location filename="../layers/loader.py" line="49"/>
        <source>no access</source>
        <translation>немає доступу</translation>
    </message>
    <message>
        <location filename="../layers/loader.py" line="195"/>
        <source>Opening the workspace: {title}</source>
        <translation>Відкриття робочого простору: {title}</translation>
    </message>
    <message>
        <location filename="../layers/loader.py" line="218"/>
        <source>Opening the workspace was cancelled</source>
        <translation>Відкриття робочого простору скасовано</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="36"/>
        <source>&amp;Zhytomyr City GIS</source>
        <translation>&amp;Житомирська міська ГІС</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="105"/>
        <source>Zhytomyr City GIS</source>
        <translation>Житомирська міська ГІС</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="142"/>
        <source>Open my workspace</source>
        <translation>Відкрити мій робочий простір</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="47"/>
        <source>Submit selected for verification</source>
        <translation>Подати вибране на перевірку</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="48"/>
        <source>Withdraw selected submission</source>
        <translation>Відкликати подання вибраного</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="50"/>
        <source>Connection settings…</source>
        <translation>Налаштування підключення…</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="51"/>
        <source>Store forms and styles in the database (GIS administrator)</source>
        <translation>Зберегти форми та стилі в базі даних (адміністратор ГІС)</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="142"/>
        <source>Department:</source>
        <translation>Підрозділ:</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="154"/>
        <source>your user is not a member of any department of the city GIS.</source>
        <translation>ваш користувач не входить до жодного підрозділу міської ГІС.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="173"/>
        <source>The workspace could not be opened</source>
        <translation>Не вдалося відкрити робочий простір</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="183"/>
        <source>Workspace opened: {count} layers</source>
        <translation>Робочий простір відкрито: шарів — {count}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="197"/>
        <source>Select features in a register layer of your workspace first.</source>
        <translation>Спершу виберіть об'єкти в шарі реєстру вашого робочого простору.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="200"/>
        <source>Save the edits of «{layer}» first.</source>
        <translation>Спершу збережіть зміни шару «{layer}».</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="204"/>
        <source>No features are selected in «{layer}».</source>
        <translation>У шарі «{layer}» не вибрано жодного об'єкта.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="214"/>
        <source>Submit for verification</source>
        <translation>Подати на перевірку</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="214"/>
        <source>Note for the verifier (optional):</source>
        <translation>Примітка для перевіряльника (необов'язково):</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="222"/>
        <source>Submitted for verification: {count} record(s) of «{register}»</source>
        <translation>Подано на перевірку записів реєстру «{register}»: {count}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="247"/>
        <source>Withdrawn to drafts: {count} record(s)</source>
        <translation>Повернуто в чернетки записів: {count}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="299"/>
        <source>Forms and styles of {count} registers stored in the database</source>
        <translation>Форми та стилі реєстрів збережено в базі даних: {count}</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="34"/>
        <source>Register</source>
        <translation>Реєстр</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="34"/>
        <source>Record</source>
        <translation>Запис</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="34"/>
        <source>State</source>
        <translation>Стан</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="34"/>
        <source>Changed</source>
        <translation>Змінено</translation>
    </message>
    <message>
        <location filename="../gui/my_changes_dock.py" line="34"/>
        <source>Reviewer&apos;s reason</source>
        <translation>Причина від перевіряльника</translation>
    </message>
    <message>
        <location filename="../layers/commit_report.py" line="63"/>
        <source>Not saved: {records}.</source>
        <translation>Не збережено: {records}.</translation>
    </message>
    <message>
        <location filename="../layers/pending.py" line="54"/>
        <source>«{field}» breaks a rule</source>
        <translation>«{field}» порушує правило</translation>
    </message>
    <message>
        <location filename="../layers/pending.py" line="62"/>
        <source>fill in «{field}»</source>
        <translation>заповніть поле «{field}»</translation>
    </message>
    <message>
        <location filename="../layers/pending.py" line="64"/>
        <source>«{value}» ({field}) is already in the register</source>
        <translation>«{value}» ({field}) вже є в реєстрі</translation>
    </message>
    <message>
        <location filename="../layers/pending.py" line="74"/>
        <source>new record</source>
        <translation>новий запис</translation>
    </message>
    <message>
        <location filename="../layers/save_order.py" line="88"/>
        <source>«{layer}» not saved: correct these records and save again</source>
        <translation>«{layer}» не збережено: виправте ці записи та збережіть ще раз</translation>
    </message>
</context>
</TS>
