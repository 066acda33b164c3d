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
        <location filename="../plugin.py" line="53"/>
        <source>My changes</source>
        <translation>Мої зміни</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="67"/>
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
        <location filename="../plugin.py" line="37"/>
        <source>&amp;Zhytomyr City GIS</source>
        <translation>&amp;Житомирська міська ГІС</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="127"/>
        <source>Zhytomyr City GIS</source>
        <translation>Житомирська міська ГІС</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="180"/>
        <source>Open my workspace</source>
        <translation>Відкрити мій робочий простір</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="51"/>
        <source>Submit selected for verification</source>
        <translation>Подати вибране на перевірку</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="52"/>
        <source>Withdraw selected submission</source>
        <translation>Відкликати подання вибраного</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="56"/>
        <source>Connection settings…</source>
        <translation>Налаштування підключення…</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="180"/>
        <source>Department:</source>
        <translation>Підрозділ:</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="192"/>
        <source>your user is not a member of any department of the city GIS.</source>
        <translation>ваш користувач не входить до жодного підрозділу міської ГІС.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="211"/>
        <source>The workspace could not be opened</source>
        <translation>Не вдалося відкрити робочий простір</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="221"/>
        <source>Workspace opened: {count} layers</source>
        <translation>Робочий простір відкрито: шарів — {count}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="235"/>
        <source>Select features in a register layer of your workspace first.</source>
        <translation>Спершу виберіть об'єкти в шарі реєстру вашого робочого простору.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="238"/>
        <source>Save the edits of «{layer}» first.</source>
        <translation>Спершу збережіть зміни шару «{layer}».</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="242"/>
        <source>No features are selected in «{layer}».</source>
        <translation>У шарі «{layer}» не вибрано жодного об'єкта.</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="252"/>
        <source>Submit for verification</source>
        <translation>Подати на перевірку</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="252"/>
        <source>Note for the verifier (optional):</source>
        <translation>Примітка для перевіряльника (необов'язково):</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="260"/>
        <source>Submitted for verification: {count} record(s) of «{register}»</source>
        <translation>Подано на перевірку записів реєстру «{register}»: {count}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="285"/>
        <source>Withdrawn to drafts: {count} record(s)</source>
        <translation>Повернуто в чернетки записів: {count}</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="165"/>
        <source>Register</source>
        <translation>Реєстр</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="74"/>
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
    <message>
        <location filename="../processing/check_register.py" line="34"/>
        <source>whole register</source>
        <translation>увесь реєстр</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="34"/>
        <source>submitted records only</source>
        <translation>лише подані на перевірку записи</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="34"/>
        <source>stored findings (no new run)</source>
        <translation>збережені результати (без нового запуску)</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="68"/>
        <source>Check a register</source>
        <translation>Перевірити реєстр</translation>
    </message>
    <message>
        <location filename="../processing/database.py" line="98"/>
        <source>Verification</source>
        <translation>Перевірка</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="71"/>
        <source>Runs the verification rules of a register (or of every register you may see) inside PostGIS and stores the findings, as submitting does; returns them as an issues layer: one point per finding with the rule, its severity (an error blocks approval, a warning needs acknowledgement), the message and the hint.</source>
        <translation>Запускає правила перевірки реєстру (або всіх доступних вам реєстрів) у PostGIS і зберігає знайдене, як під час подання; повертає шар проблем: точку на кожну знахідку з правилом, вагою (помилка блокує затвердження, попередження потребує підтвердження), повідомленням і підказкою.</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="81"/>
        <source>Check</source>
        <translation>Що перевірити</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="84"/>
        <source>Issues</source>
        <translation>Проблеми</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="85"/>
        <source>Errors</source>
        <translation>Помилки</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="86"/>
        <source>Warnings</source>
        <translation>Попередження</translation>
    </message>
    <message>
        <location filename="../processing/check_register.py" line="120"/>
        <source>Errors: {}, warnings: {}</source>
        <translation>Помилок: {}, попереджень: {}</translation>
    </message>
    <message>
        <location filename="../processing/database.py" line="33"/>
        <source>Database (empty: the plugin&apos;s connection; a PostgreSQL connection or a libpq string)</source>
        <translation>База даних (порожньо — підключення модуля; або підключення PostgreSQL, або рядок libpq)</translation>
    </message>
    <message>
        <location filename="../processing/database.py" line="58"/>
        <source>No PostgreSQL connection named «{}» in QGIS</source>
        <translation>У QGIS немає підключення PostgreSQL з назвою «{}»</translation>
    </message>
    <message>
        <location filename="../processing/database.py" line="73"/>
        <source>Cannot connect to the database: {}</source>
        <translation>Не вдалося підключитися до бази даних: {}</translation>
    </message>
    <message>
        <location filename="../processing/export_report.py" line="32"/>
        <source>Export verification report</source>
        <translation>Експортувати звіт перевірки</translation>
    </message>
    <message>
        <location filename="../processing/export_report.py" line="35"/>
        <source>Writes the findings of the checks standing on a register (or on every register you may see) to a CSV, HTML or JSON file: register, record, rule, severity, message, hint, detail and a point (EPSG:9836). Optionally runs the checks first.</source>
        <translation>Записує чинні результати перевірки реєстру (або всіх доступних вам реєстрів) у файл CSV, HTML або JSON: реєстр, запис, правило, вага, повідомлення, підказка, подробиці й точка (EPSG:9836). За бажанням спершу запускає перевірку.</translation>
    </message>
    <message>
        <location filename="../processing/export_report.py" line="44"/>
        <source>Run the checks first</source>
        <translation>Спершу запустити перевірку</translation>
    </message>
    <message>
        <location filename="../processing/export_report.py" line="45"/>
        <source>Headings</source>
        <translation>Мова заголовків</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="69"/>
        <source>Report file</source>
        <translation>Файл звіту</translation>
    </message>
    <message>
        <location filename="../processing/export_report.py" line="51"/>
        <source>Findings</source>
        <translation>Знахідки</translation>
    </message>
    <message>
        <location filename="../processing/export_report.py" line="62"/>
        <source>{} findings written to {}</source>
        <translation>Записано знахідок: {} у {}</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="47"/>
        <source>Status report per department</source>
        <translation>Звіт про стан реєстрів підрозділів</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="50"/>
        <source>Counts the records of every register of your departments (all of them for the GIS administrator) per workflow state, the reviews waiting longer than the given number of days and the standing findings of the checks.</source>
        <translation>Рахує записи кожного реєстру ваших підрозділів (для адміністратора ГІС — усіх) за станами, подання, що чекають перевірки довше заданої кількості днів, і чинні результати перевірки.</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="58"/>
        <source>Reviews waiting longer than (days)</source>
        <translation>Подання, що чекають довше ніж (днів)</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="68"/>
        <source>Status</source>
        <translation>Стан</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="74"/>
        <source>Submitted records</source>
        <translation>Подано на перевірку</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="75"/>
        <source>Waiting longer than the limit</source>
        <translation>Чекають довше межі</translation>
    </message>
    <message>
        <location filename="../processing/status_report.py" line="116"/>
        <source>Submitted: {}, waiting over {} days: {}</source>
        <translation>Подано: {}, чекають понад {} дн.: {}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="55"/>
        <source>Feature history</source>
        <translation>Історія об'єкта</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="47"/>
        <source>Select a feature of a register layer and press “History of the selected feature”.</source>
        <translation>Виберіть об'єкт шару реєстру й натисніть «Історія вибраного об'єкта».</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="49"/>
        <source>Version</source>
        <translation>Версія</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="49"/>
        <source>When</source>
        <translation>Коли</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="49"/>
        <source>Who</source>
        <translation>Хто</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="49"/>
        <source>Action</source>
        <translation>Дія</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="49"/>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="49"/>
        <source>Decision</source>
        <translation>Рішення</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="62"/>
        <source>Restore as draft</source>
        <translation>Відновити як чернетку</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="64"/>
        <source>History of the selected feature</source>
        <translation>Історія вибраного об'єкта</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="81"/>
        <source>«{register}», record {id}: {count} events</source>
        <translation>«{register}», запис {id}: подій — {count}</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="146"/>
        <source>Version {old} restored as a draft (version {new}); submit it for verification when ready.</source>
        <translation>Версію {old} відновлено як чернетку (версія {new}); подайте її на перевірку, коли буде готово.</translation>
    </message>
    <message>
        <location filename="../gui/reject_dialog.py" line="16"/>
        <source>Reject the change</source>
        <translation>Відхилити зміну</translation>
    </message>
    <message>
        <location filename="../gui/reject_dialog.py" line="19"/>
        <source>What the editor has to correct</source>
        <translation>Що редактор має виправити</translation>
    </message>
    <message>
        <location filename="../gui/reject_dialog.py" line="21"/>
        <source>Reject</source>
        <translation>Відхилити</translation>
    </message>
    <message>
        <location filename="../gui/reject_dialog.py" line="25"/>
        <source>Reason for rejecting «{what}» (required):</source>
        <translation>Причина відхилення «{what}» (обов'язково):</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="54"/>
        <source>Review changes</source>
        <translation>Перевірка змін</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="61"/>
        <source> days or more</source>
        <translation> дн. і довше</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="63"/>
        <source>with or without errors</source>
        <translation>з помилками і без</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="63"/>
        <source>with errors</source>
        <translation>з помилками</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="63"/>
        <source>without errors</source>
        <translation>без помилок</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="74"/>
        <source>Author</source>
        <translation>Автор</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="74"/>
        <source>Submitted</source>
        <translation>Подано</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="74"/>
        <source>Note</source>
        <translation>Примітка</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="82"/>
        <source>Severity</source>
        <translation>Важливість</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="82"/>
        <source>How to fix</source>
        <translation>Як виправити</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="82"/>
        <source>Acknowledged</source>
        <translation>Підтверджено</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="85"/>
        <source>Acknowledge warnings…</source>
        <translation>Підтвердити попередження…</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="87"/>
        <source>Checks</source>
        <translation>Перевірки</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="93"/>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="93"/>
        <source>Published</source>
        <translation>Опубліковано</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="93"/>
        <source>New</source>
        <translation>Нове</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="96"/>
        <source>Differences from the published version</source>
        <translation>Відмінності від опублікованої версії</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="102"/>
        <source>Approve</source>
        <translation>Затвердити</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="104"/>
        <source>Reject…</source>
        <translation>Відхилити…</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="106"/>
        <source>Approve selected without errors</source>
        <translation>Затвердити вибрані без помилок</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="141"/>
        <source>All registers</source>
        <translation>Усі реєстри</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="141"/>
        <source>All authors</source>
        <translation>Усі автори</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="167"/>
        <source> (new)</source>
        <translation> (новий)</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="167"/>
        <source> (deletion)</source>
        <translation> (видалення)</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="178"/>
        <source>Your own change: another verifier has to approve it.</source>
        <translation>Ваша власна зміна: затвердити її має інший перевіряльник.</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="182"/>
        <source>Waiting for review: {shown} of {total}</source>
        <translation>Очікують перевірки: {shown} з {total}</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="215"/>
        <source>Select a change in the queue.</source>
        <translation>Виберіть зміну в черзі.</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="231"/>
        <source>error</source>
        <translation>помилка</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="231"/>
        <source>warning</source>
        <translation>попередження</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="231"/>
        <source>not yet</source>
        <translation>ще ні</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="242"/>
        <source>Checks: {count}</source>
        <translation>Перевірки: знайдено {count}</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="242"/>
        <source>Checks: no findings</source>
        <translation>Перевірки: зауважень немає</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="251"/>
        <source>A new record: nothing of it is published yet.</source>
        <translation>Новий запис: з нього ще нічого не опубліковано.</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="253"/>
        <source>The editor asks to delete the record.</source>
        <translation>Редактор просить видалити запис.</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="255"/>
        <source>The geometry changed: published in grey dashes, new in colour on the map.</source>
        <translation>Геометрію змінено: на карті опублікована — сірим пунктиром, нова — кольором.</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="257"/>
        <source>The geometry did not change.</source>
        <translation>Геометрія не змінилася.</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="276"/>
        <source>Approved and published: «{record}»</source>
        <translation>Затверджено й опубліковано: «{record}»</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="292"/>
        <source>Returned to the editor: «{record}»</source>
        <translation>Повернуто редакторові: «{record}»</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="302"/>
        <source>Acknowledge warnings</source>
        <translation>Підтвердження попереджень</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="302"/>
        <source>Why the change may pass anyway:</source>
        <translation>Чому зміну можна прийняти попри попередження:</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="307"/>
        <source>Warnings acknowledged: {count}</source>
        <translation>Підтверджено попереджень: {count}</translation>
    </message>
    <message>
        <location filename="../gui/review_dock.py" line="330"/>
        <source>Approved: {approved}; left for review: {left}</source>
        <translation>Затверджено: {approved}; залишено на перевірці: {left}</translation>
    </message>
    <message>
        <location filename="../gui/tables.py" line="20"/>
        <source>yes</source>
        <translation>так</translation>
    </message>
    <message>
        <location filename="../gui/tables.py" line="20"/>
        <source>no</source>
        <translation>ні</translation>
    </message>
    <message>
        <location filename="../gui/tables.py" line="24"/>
        <source>geometry</source>
        <translation>геометрія</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="340"/>
        <source>Select one feature of a register layer to see its history.</source>
        <translation>Виберіть один об'єкт шару реєстру, щоб побачити його історію.</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="61"/>
        <source>Import and export</source>
        <translation>Імпорт і експорт</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="72"/>
        <source>Import an exchange file</source>
        <translation>Імпорт обмінного файлу</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="75"/>
        <source>Reads a cadastral exchange file (XML of any format version, in any coordinate system it may declare), checks every parcel (area against the coordinates, closed boundaries, the classifier, the hromada boundary) and enters new and changed parcels as drafts submitted for review in one batch. The file enters whole or not at all; the refused parcels and the reasons come back as a layer. With a dry run nothing is changed.</source>
        <translation>Читає обмінний файл кадастру (XML будь-якої версії формату, у будь-якій передбаченій ним системі координат), перевіряє кожну ділянку (площу за координатами, замкненість меж, класифікатор, межу громади) і вносить нові та змінені ділянки як чернетки, подані на перевірку одним пакетом. Файл приймається повністю або не приймається зовсім; відхилені ділянки з причинами повертаються шаром. У режимі перевірки нічого не змінюється.</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="248"/>
        <source>Exchange file</source>
        <translation>Обмінний файл</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="172"/>
        <source>Dry run (check only)</source>
        <translation>Лише перевірити (без змін)</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="87"/>
        <source>Refused parcels</source>
        <translation>Відхилені ділянки</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="174"/>
        <source>Submitted for review</source>
        <translation>Подано на перевірку</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="175"/>
        <source>Refused</source>
        <translation>Відхилено</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="107"/>
        <source>Parcels read: {}</source>
        <translation>Прочитано ділянок: {}</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="133"/>
        <source>Parcels: {}, new: {}, changed: {}, unchanged: {}, refused: {}</source>
        <translation>Ділянок: {}, нових: {}, змінених: {}, без змін: {}, відхилено: {}</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="144"/>
        <source>The file is refused; nothing was changed</source>
        <translation>Файл не прийнято; нічого не змінено</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="153"/>
        <source>Import a register from a file</source>
        <translation>Імпорт реєстру з файлу</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="156"/>
        <source>Reads a GeoPackage, Shapefile, CSV (WKT or X/Y columns) or XLSX with a saved field mapping (YAML or JSON: the file&apos;s columns to the register&apos;s fields and classifier codes) and enters the rows as drafts submitted for review in one batch. The database&apos;s rules decide; the refused rows and the reasons come back as a layer. With a dry run nothing is changed.</source>
        <translation>Читає GeoPackage, Shapefile, CSV (колонка WKT або X/Y) чи XLSX за збереженою відповідністю полів (YAML або JSON: колонки файлу — поля реєстру та коди класифікаторів) і вносить рядки як чернетки, подані на перевірку одним пакетом. Вирішують правила бази даних; відхилені рядки з причинами повертаються шаром. У режимі перевірки нічого не змінюється.</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="170"/>
        <source>File (GeoPackage, Shapefile, CSV, XLSX)</source>
        <translation>Файл (GeoPackage, Shapefile, CSV, XLSX)</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="171"/>
        <source>Field mapping (YAML or JSON)</source>
        <translation>Відповідність полів (YAML або JSON)</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="173"/>
        <source>Refused rows</source>
        <translation>Відхилені рядки</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="193"/>
        <source>Rows read: {}</source>
        <translation>Прочитано рядків: {}</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="218"/>
        <source>Rows: {}, new: {}, changed: {}, unchanged: {}, refused: {}</source>
        <translation>Рядків: {}, нових: {}, змінених: {}, без змін: {}, відхилено: {}</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="235"/>
        <source>Export an exchange file</source>
        <translation>Експорт обмінного файлу</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="238"/>
        <source>Writes land parcels to a cadastral exchange file (format 2.0, МСК-18): the approved parcels the public sees, or the working records of your department (with the lessees that are private persons).</source>
        <translation>Записує земельні ділянки в обмінний файл кадастру (формат 2.0, МСК-18): затверджені ділянки, які бачить громадськість, або робочі записи вашого підрозділу (з орендарями — фізичними особами).</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="245"/>
        <source>Approved parcels only (no personal data)</source>
        <translation>Лише затверджені ділянки (без персональних даних)</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="249"/>
        <source>Parcels</source>
        <translation>Ділянки</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="256"/>
        <source>{} parcels written to {}</source>
        <translation>Ділянок записано: {} у {}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="57"/>
        <source>Request new forms and styles (GIS administrator)</source>
        <translation>Запросити нові форми та стилі (адміністратор ГІС)</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="369"/>
        <source>Forms and styles built by the plugin</source>
        <translation>Форми та умовні знаки, побудовані модулем</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="381"/>
        <source>Forms and styles of {count} registers requested; users get them when another administrator approves</source>
        <translation>Запит на форми та стилі {count} реєстрів подано; користувачі отримають їх, коли інший адміністратор затвердить</translation>
    </message>
    <message>
        <location filename="../gui/history_dock.py" line="49"/>
        <source>Imported from</source>
        <translation>Імпортовано з файлу</translation>
    </message>
    <message>
        <location filename="../processing/importing.py" line="138"/>
        <source>Lands, leases and restrictions of the parcels: added {}, removed {}</source>
        <translation>Угідь, оренди й обмежень ділянок: додано {}, вилучено {}</translation>
    </message>
</context>
</TS>
