"""Spanish phrasings for the demo corpus (kestrel-es: Spain and Latin America).

Written independently of the English templates rather than translated line by
line, the way a Spanish-speaking community talks about the same faults; the
error codes and setting names are the only shared anchors. Invented text.
"""

from __future__ import annotations

SLOTS = {
    "provider": ["Microsoft 365", "Google Workspace", "Exchange Online", "Zoho Mail"],
    "when": ["desde el martes", "desde ayer por la mañana", "después del fin de semana", "desde el lunes",
             "hace dos días", "desde esta mañana"],
    "crm": ["HubSpot", "Salesforce", "Odoo", "Zoho CRM"],
    "phone": ["Samsung Galaxy S23", "Xiaomi Redmi Note 12", "Motorola Edge 40", "Galaxy A54"],
}

GROUPS: dict[str, dict[str, list[str]]] = {
    "mail-401": {
        "titles": [
            "Los correos entrantes ya no crean tickets (KST-MAIL-401)",
            "Error KST-MAIL-401 después de cambiar la contraseña del buzón",
            "El canal de correo aparece en rojo desde ayer",
            "No entran tickets por email tras actualizar a {version}",
            "Buzón de soporte deja de sincronizar: autenticación rechazada",
            "KST-MAIL-401 con Microsoft 365, ¿a alguien más le pasa?",
        ],
        "openers": [
            "Tenemos Kestrel Desk {version} con {mailboxes} buzones en {provider}.",
            "Somos un equipo de {agents} agentes y usamos Kestrel Desk en la nube.",
            "{when_cap} el buzón principal de soporte no genera tickets.",
            "El área de sistemas cambió la contraseña del buzón de soporte la semana pasada.",
            "Migramos el tenant de {provider} a autenticación moderna {when}.",
        ],
        "symptoms": [
            "En Admin > Canales > Correo el buzón sale en rojo con el error KST-MAIL-401 \"Authentication rejected by mail server\".",
            "En el registro aparece KST-MAIL-401 en cada intento de lectura y los correos se quedan en la bandeja de entrada.",
            "El envío funciona, pero la recepción falla con KST-MAIL-401.",
            "El error es KST-MAIL-401, y con las mismas credenciales entro al buzón desde el navegador sin problema.",
            "La última lectura correcta fue hace {hours} horas; desde entonces solo KST-MAIL-401.",
        ],
        "tried": [
            "Ya volví a escribir la contraseña y reinicié el servicio de correo, sin cambios.",
            "Probamos a borrar el buzón y crearlo de nuevo: mismo resultado.",
            "El botón 'Probar conexión' dice que todo está bien, pero la lectura programada sigue fallando.",
            "Revisamos que IMAP esté habilitado en la cuenta.",
        ],
        "asks": [
            "¿Alguien ha visto esto? Los clientes escriben y no se crea ningún ticket.",
            "¿Qué me falta?",
            "¿Es un fallo conocido de la {version}?",
            "Cualquier pista se agradece, estamos perdiendo tickets.",
        ],
        "metoo": [
            "A nosotros nos pasa lo mismo {when}, KST-MAIL-401 en el buzón de facturación.",
            "+1, empezó justo después de actualizar a {version}.",
            "Igual aquí en {city}. ¿Alguna novedad?",
            "Mismo error con Google Workspace. Sigo el hilo.",
            "Nos pasa también, pensábamos que era cosa de nuestro tenant.",
            "Confirmo, dos de nuestros buzones con el mismo código.",
            "Aquí igual desde que entró la nueva política de contraseñas.",
            "Nos ocurre solo con el buzón compartido, los personales van bien.",
        ],
        "diag": [
            "El KST-MAIL-401 tras un cambio de credenciales casi nunca es la contraseña: Kestrel guarda en caché el token anterior y sigue reintentando con él.",
            "'Probar conexión' usa lo que acabas de escribir, pero la lectura programada sigue con las credenciales guardadas hasta que las borras. Por eso uno sale en verde y el otro da KST-MAIL-401.",
            "Desde la 8.4, los buzones de Microsoft 365 y Google solo funcionan con OAuth, y al cambiar la contraseña se revoca el permiso que tenía Kestrel.",
        ],
        "steps": [
            "1. Admin > Canales > Correo, abre el buzón, pestaña Autenticación.\n2. Cambia auth_method de \"password\" a \"oauth2\".\n3. Pulsa Reconectar e inicia sesión con la cuenta del buzón, no con la del administrador.\n4. Reinicia el worker de correo en Admin > Sistema > Workers: solo recarga credenciales al arrancar.",
            "1. Desactiva el buzón y guarda.\n2. Usa el botón 'Borrar credenciales' (8.4.1 o posterior) o pide a soporte que lo haga.\n3. Actívalo de nuevo y autoriza con OAuth.\n4. Revisa el log del worker: debe decir `fetch ok` en lugar de KST-MAIL-401.",
            "1. Pide al administrador del tenant que vuelva a dar consentimiento a la app de Kestrel.\n2. En Kestrel, Admin > Canales > Correo > Reconectar.\n3. Reinicia el worker de correo.\n4. Envía un correo de prueba y comprueba que aparece el ticket.",
        ],
        "close": [
            "La primera lectura después recoge todo lo que se acumuló, no se pierde nada.",
            "Hazlo en cada buzón cuya contraseña haya cambiado, la caché es por buzón.",
            "Si después sigue el KST-MAIL-401, pega aquí el log del worker y lo miramos.",
        ],
        "short": ["Reconecta el buzón con OAuth, la autenticación básica ya no va.",
                  "Reinicia el worker de correo después de cambiar credenciales."],
    },
    "sla-weekend": {
        "titles": [
            "Los SLA siguen contando el fin de semana",
            "KST-SLA-220 en el registro de SLA: ¿ignora el horario laboral?",
            "Tickets del sábado incumplen el SLA el lunes",
            "El calendario de horario laboral no se aplica a la política",
            "¿Por qué se incumplen SLA cuando estamos cerrados?",
        ],
        "openers": [
            "Trabajamos de lunes a viernes de 9 a 18, somos {agents} agentes.",
            "Nuestra política dice 8 horas laborables para la primera respuesta.",
            "Configuramos el horario laboral y los festivos el mes pasado.",
            "Desde que importamos las políticas antiguas, los informes de SLA no cuadran.",
        ],
        "symptoms": [
            "Los tickets del viernes por la tarde aparecen incumplidos el lunes, y el registro de SLA muestra KST-SLA-220 \"calendar not applied, falling back to 24x7\".",
            "En la línea de tiempo del ticket hay una entrada KST-SLA-220 junto a cada inicio de SLA.",
            "El informe de incumplimientos está lleno de horas de fin de semana y cada ticket afectado tiene KST-SLA-220 en su registro.",
        ],
        "tried": [
            "El calendario está bien: lunes a viernes, 09:00-18:00, zona horaria correcta.",
            "Volví a crear la política desde cero, igual.",
            "Incluso añadimos sábado y domingo como festivos y nada.",
        ],
        "asks": ["¿Qué se me escapa?", "¿Hay algún ajuste que vincule el calendario con la política?",
                 "La dirección pregunta por qué los números son tan malos. ¡Ayuda!"],
        "metoo": [
            "Nos pasa igual, todos los tickets del fin de semana incumplen. KST-SLA-220 por todas partes.",
            "+1, los informes del lunes son un desastre desde que cambiamos las políticas.",
            "Lo mismo aquí, pensaba que el calendario estaba roto.",
        ],
        "diag": [
            "KST-SLA-220 significa que la política no tiene calendario asignado, así que Kestrel usa 24x7. Que el calendario exista no basta.",
            "Las políticas importadas o copiadas se quedan con \"Default 24x7\" como horario, tengas los calendarios que tengas.",
        ],
        "steps": [
            "1. Admin > SLA > Políticas, abre la política.\n2. En Horario laboral elige tu calendario explícitamente.\n3. Marca pause_outside_business_hours.\n4. Guarda y ejecuta Admin > SLA > Mantenimiento > Recalcular en los tickets abiertos.",
            "1. Abre cada política (una por marca si tienes varias).\n2. Cambia el horario de Default 24x7 a tu calendario.\n3. Activa pause_outside_business_hours.\n4. Recalcula los SLA de los tickets abiertos.",
        ],
        "close": ["Después del recálculo desaparecen las horas del fin de semana en los tickets abiertos.",
                  "Los tickets nuevos mostrarán 'calendar applied' en lugar de KST-SLA-220."],
        "short": ["Asigna el calendario a la política, si no usa 24x7."],
    },
    "csv-import": {
        "titles": [
            "La importación CSV se detiene: KST-IMP-17 column 'requester_email' missing",
            "Migración desde Excel: dice que falta una columna que sí está",
            "KST-IMP-17 al importar usuarios del sistema anterior",
        ],
        "openers": [
            "Estamos migrando unos {tickets} tickets de nuestro antiguo sistema.",
            "Intento importar la lista de clientes (unos {users}) desde un CSV.",
            "Un cliente nos pidió migrar su histórico desde hojas de cálculo.",
        ],
        "symptoms": [
            "El importador se para enseguida con KST-IMP-17 column 'requester_email' missing.",
            "Sale KST-IMP-17 column 'requester_email' missing, pero la primera columna del archivo ES requester_email.",
        ],
        "tried": ["Abrí el archivo en un editor de texto y la cabecera está.",
                  "Lo guardé de nuevo desde Excel como CSV UTF-8, mismo error."],
        "asks": ["¿Qué formato quiere exactamente?", "¿Está roto el importador?"],
        "metoo": ["Me pasó lo mismo ayer con KST-IMP-17.", "+1, probé de todo con la cabecera."],
        "diag": [
            "Es el BOM. Excel, al guardar como \"CSV UTF-8\", escribe un carácter invisible al principio, y el importador lee la primera cabecera como \"\\ufeffrequester_email\": de ahí el KST-IMP-17.",
        ],
        "steps": [
            "1. Abre el archivo en un editor que permita guardar sin BOM (en VS Code: codificación en la barra inferior > Guardar con codificación > UTF-8).\n2. Comprueba que la cabecera sea exactamente requester_email,subject,description en minúsculas.\n3. Vuelve a importar con 'La primera fila es cabecera' marcado.",
            "1. Pon primero una columna que no necesites (por ejemplo 'id').\n2. Asigna requester_email a mano en el paso 2 del asistente.\n3. El BOM se queda pegado a la columna de relleno y la importación pasa.",
        ],
        "close": ["Ojo también con los espacios después de las comas en la cabecera."],
        "short": ["Guarda el CSV sin BOM."],
    },
    "webhook-502": {
        "titles": [
            "Webhooks con KST-API-502 y tickets duplicados en el CRM",
            "Cada ticket llega dos veces a {crm}",
        ],
        "openers": ["Sincronizamos los tickets nuevos con {crm} mediante un webhook.",
                    "Nuestro sistema de facturación recibe el webhook ticket.created."],
        "symptoms": [
            "En el registro de entregas aparece KST-API-502 \"upstream did not answer in time\" y luego un reintento, así que se crea el registro dos veces.",
            "Un tercio de las entregas terminan en KST-API-502, aunque nuestro servidor sí recibe y procesa la petición.",
        ],
        "tried": ["Subimos el timeout de nuestro servidor a 60 s.", "Desactivamos y activamos el webhook."],
        "asks": ["¿Cómo lo resolvéis vosotros?", "¿Se pueden desactivar los reintentos?"],
        "metoo": ["Igual con nuestra integración de {crm}, KST-API-502 por todos lados."],
        "diag": ["KST-API-502 quiere decir que Kestrel dejó de esperar (el límite es de 10 segundos y no se puede cambiar) y programó un reintento; tu servidor terminó el trabajo después, de ahí los duplicados."],
        "steps": ["1. Responde 200 inmediatamente y haz el trabajo en segundo plano.\n2. Haz el manejador idempotente: cada entrega trae la cabecera X-Kestrel-Delivery y los reintentos conservan el mismo valor.\n3. Guárdalo con una restricción única e ignora los repetidos."],
        "close": ["Después deberías ver solo 200 al primer intento en el registro de entregas."],
        "short": ["Usa la cabecera X-Kestrel-Delivery para no duplicar."],
    },
    "smtp-535": {
        "titles": ["No salen las respuestas: KST-MAIL-535", "Error SMTP 535 al responder desde Kestrel"],
        "openers": ["Enviamos las respuestas por el SMTP de {provider}.",
                    "Seguridad activó MFA en todas las cuentas {when}, también en la de soporte."],
        "symptoms": ["Cada respuesta se queda en la bandeja de salida con KST-MAIL-535 \"535 5.7.8 authentication failed\".",
                     "El registro de salida muestra KST-MAIL-535 en todos los mensajes."],
        "tried": ["La contraseña es correcta, desde Outlook sí puedo enviar."],
        "asks": ["¿Cómo vuelvo a enviar?", "¿Alguna idea?"],
        "metoo": ["Mismo KST-MAIL-535 aquí tras activar MFA."],
        "diag": ["Con MFA activado el proveedor rechaza el inicio de sesión SMTP con contraseña: eso es el KST-MAIL-535."],
        "steps": ["1. Admin > Canales > Correo > Salida, pon auth_method en oauth2 y reconecta.\n2. En Microsoft 365 además hay que permitir SMTP AUTH en ese buzón.\n3. Reintenta la bandeja de salida (Salida > Reintentar todo)."],
        "close": ["Las respuestas en cola salen al reintentar, no se pierde nada."],
        "short": ["Pasa la salida a OAuth, con MFA no va la contraseña."],
    },
    "escalation-reopen": {
        "titles": ["La escalación se dispara dos veces en tickets reabiertos"],
        "openers": ["Escalamos a los jefes de equipo los tickets sin respuesta a las 4 horas."],
        "symptoms": ["Cuando un cliente responde a un ticket resuelto, se reabre y la escalación salta otra vez al momento. La regla tiene reopen_resets_escalation = false (por defecto)."],
        "tried": ["Añadí la condición 'estado distinto de resuelto', sin cambios."],
        "asks": ["¿Es así a propósito?"],
        "metoo": ["Igual aquí, los jefes ya ignoran los avisos."],
        "diag": ["Con reopen_resets_escalation desactivado, el reloj sigue contando desde la creación original, así que el ticket reabierto ya va 'tarde' y escala al instante."],
        "steps": ["1. Admin > Automatizaciones > Escalaciones, abre la regla, pestaña Avanzado.\n2. Activa reopen_resets_escalation.\n3. Guarda; los tickets que se reabran a partir de ahora se comportan bien."],
        "close": [""],
        "short": ["Activa reopen_resets_escalation."],
    },
    "mob-9": {
        "titles": ["La app de Android se cierra al iniciar sesión (KST-MOB-9)"],
        "openers": ["Varios agentes usan la app de Android en la calle."],
        "symptoms": ["Al pulsar Iniciar sesión aparece KST-MOB-9 y la app se cierra. En iOS funciona bien."],
        "tried": ["Borramos los datos de la app y la reinstalamos."],
        "asks": ["¿Le pasa a alguien más?"],
        "metoo": ["Igual en un {phone}, KST-MOB-9 nada más entrar."],
        "staff": ["Gracias por avisar. KST-MOB-9 es un fallo de la app {app_version} en algunos dispositivos Android; la versión corregida se está publicando en Google Play estos días. Mientras tanto, usad la versión web desde el navegador del móvil."],
        "vendor_only": ["Eso solo lo puede arreglar Kestrel, es de la propia app. La web funciona mientras tanto."],
    },
    "seat-licence": {
        "titles": ["Tras renovar, la licencia sigue con los puestos antiguos (KST-LIC-3)"],
        "openers": ["Renovamos la semana pasada y pasamos de {seats_old} a {seats_new} puestos."],
        "symptoms": ["La página de facturación muestra el plan nuevo, pero al añadir otro agente sale KST-LIC-3 \"seat limit reached\"."],
        "tried": ["Cerré sesión y volví a entrar."],
        "asks": ["¿Con quién hablo?"],
        "metoo": ["Nos pasó en septiembre, tardaron una semana."],
        "staff": ["Los puestos solo se pueden corregir desde nuestro lado. Ya pedí al equipo de licencias que sincronice tu cuenta; responde en tu ticket de facturación con el ID de cuenta, por favor, no aquí."],
        "vendor_only": ["Eso es de facturación de Kestrel, abre un ticket con ellos."],
    },
}

GREETINGS = ["Hola a todos:", "Buenas,", "Hola,", "", ""]
SIGNOFFS = ["Gracias de antemano.", "Saludos.", "¡Gracias!", "", ""]

ACK = ["¡Eso lo resolvió, gracias!", "¡Era eso! Ya entran los tickets, mil gracias.", "Funcionó perfecto, gracias.",
       "Confirmado, solucionado. ¡Muchas gracias!", "Listo, todo en verde. ¡Gracias!"]
ACK_TRIED = ["Seguí los pasos y ya funciona. ¡Gracias!"]
THANKS = ["Gracias, lo pruebo.", "Gracias por la respuesta rápida.", "Lo reviso mañana, gracias.", "¡Gracias! Tiene sentido."]
APPRECIATION = ["¡Gracias!", "Gracias, me alegra que os sirva.", "¡Gracias a todos!"]
STILL = ["Lo probé y sigue igual, por desgracia."]
QUESTIONS = ["¿Qué versión tenéis?", "¿Nube o instalación propia?", "¿Puedes pegar el log?"]
QUESTION_REPLIES = ["Nube, {version}.", "Instalación propia, {version}."]
METOO_GENERIC = ["Nos pasa igual.", "Confirmo en {version}.", "Lo mismo aquí."]
PLUS_ONE = ["+1, lo usaríamos a diario.", "¡Sí, por favor!", "+1 de nuestra parte.", "Nos vendría genial."]

FOUNDER_HOWTO_EXTRA = ("Dos cosas que suelen confundir: es un ajuste por buzón, así que hay que repetirlo en cada dirección, "
                       "y se aplica desde el siguiente correo entrante, no a los tickets ya creados.")
COMPETITOR_PITCH = [
    "En HelpHive lo resolvemos a diario para nuestros clientes; si quieres lo vemos juntos: https://helphive.example/es/kestrel",
    "Tenemos un paquete de precio cerrado para esto en HelpHive: https://helphive.example/es/paquetes",
]
PARTNER_PREFIX = ["Pregunto por un cliente nuestro.", "Gestionamos Kestrel para varios clientes y a uno le pasa esto."]

HOWTOS: list[tuple[str, str, str, str]] = [
    ("email-channels", "¿Cómo añado un alias a un buzón?",
     "Queremos que ventas@ entre en la misma cola que soporte@.",
     "No hace falta otro buzón: ábrelo y añade la dirección en Alias. Se responde desde la dirección a la que escribió el cliente."),
    ("email-channels", "Cambiar el nombre del remitente",
     "Los clientes ven 'Kestrel Desk' como remitente. ¿Dónde pongo el nombre de la empresa?",
     "Admin > Canales > Correo > Salida > Nombre del remitente."),
    ("email-channels", "Evitar que las respuestas automáticas creen tickets",
     "Los 'fuera de la oficina' de los clientes abren tickets nuevos.",
     "Activa 'Ignorar correo auto-submitted' en el buzón."),
    ("sla-automation", "SLA distinto para clientes VIP",
     "La organización VIP debería tener 1 hora de primera respuesta.",
     "Crea una segunda política con la condición 'etiqueta de organización es vip' y ponla por encima de la general."),
    ("sla-automation", "Cerrar tickets sin respuesta del cliente a los 7 días",
     "¿Cómo cierro automáticamente los tickets en espera del cliente?",
     "Automatización: estado 'esperando al cliente' y 'horas desde actualización > 168', acción 'cerrar'."),
    ("sla-automation", "Festivos de dos países",
     "Tenemos agentes en México y en España.",
     "Dos calendarios y una política por equipo, cada una con su calendario."),
    ("migrations", "¿El importador acepta punto y coma?",
     "La exportación del sistema viejo usa punto y coma.",
     "Sí, en el paso 1 hay un desplegable de separador."),
    ("migrations", "Mantener los números de ticket antiguos",
     "Los clientes citan los números viejos.",
     "Mapea el número antiguo al campo external_id; es buscable."),
    ("integrations-api", "Límite de llamadas a la API",
     "¿Cuántas llamadas por minuto permite?",
     "700 por minuto en Business y 200 en Team; las cabeceras de respuesta indican lo que queda."),
    ("integrations-api", "Verificar la firma de los webhooks",
     "¿Cómo sé que el webhook viene de Kestrel?",
     "Cada petición trae X-Kestrel-Signature: HMAC-SHA256 del cuerpo con el secreto del webhook."),
    ("", "Cambiar el logo del portal",
     "¿Dónde subo el logo del centro de ayuda?",
     "Admin > Portal > Marca. PNG o SVG."),
    ("", "Fusionar dos usuarios",
     "La misma persona tiene dos correos y dos usuarios.",
     "Abre el usuario que quieres conservar > ... > Fusionar usuario."),
    ("", "Atajos de teclado",
     "¿Hay una lista de atajos?",
     "Pulsa ? en cualquier pantalla de agente."),
    ("", "Encuesta de satisfacción: ¿cuándo se envía?",
     "¿Cuánto tarda en salir la encuesta?",
     "24 horas después de resolver el ticket, por defecto. Se cambia en Admin > Satisfacción."),
    ("", "Portal solo para usuarios registrados",
     "No queremos que el centro de ayuda sea público.",
     "Portal > Seguridad > 'Requerir inicio de sesión'."),
    ("", "Dominio propio para el centro de ayuda",
     "Queremos ayuda.nuestraempresa.com.",
     "Portal > Dominio: crea un CNAME; el certificado se emite solo en menos de una hora."),
]

SOLVED: list[tuple[str, str, str, str]] = [
    ("email-channels", "Las respuestas salen desde la dirección equivocada",
     "Respondemos tickets de facturacion@ y salen desde soporte@.",
     "Marca 'responder desde la dirección a la que escribió el cliente' en el buzón; si no, usa la dirección por defecto de la marca."),
    ("email-channels", "Los correos de un cliente nunca llegan",
     "Un cliente dice que nos escribe a diario y no aparece nada.",
     "Mira Admin > Correo > Suspendidos: su dominio quedó marcado como spam. Libera los mensajes y añádelo a la lista permitida."),
    ("sla-automation", "La automatización se ejecuta en tickets cerrados",
     "El recordatorio sigue escribiendo a clientes con tickets cerrados.",
     "Añade 'estado distinto de cerrado' como primera condición; las automatizaciones no lo comprueban solas."),
    ("migrations", "Tildes rotas después de importar",
     "Los nombres como José aparecen como JosÃ©.",
     "El archivo estaba en Windows-1252 y se leyó como UTF-8. Elige la codificación correcta en el paso 1."),
    ("integrations-api", "La API devuelve 401 con un token recién creado",
     "Todas las llamadas dan 401.",
     "El token va en la cabecera 'Authorization: Bearer <token>', no como parámetro."),
    ("", "El portal sigue mostrando el logo antiguo",
     "Subí el logo nuevo y sigue el viejo.",
     "Es la caché del CDN, se actualiza en 24 h. Añade ?v=2 a la URL del logo para forzarlo."),
    ("", "Los agentes no reciben notificaciones de escritorio",
     "Desde la actualización del navegador nadie recibe avisos.",
     "El navegador reinició los permisos; cada agente debe permitir notificaciones de nuevo para el dominio de Kestrel."),
]

BUGS: list[tuple[str, str, str]] = [
    ("La búsqueda del centro de ayuda ignora las tildes",
     "Buscar 'configuración' no encuentra nada; 'configuracion' sí.",
     "Gracias, lo reproducimos y está registrado para el equipo de búsqueda. De momento, añade palabras clave sin tilde."),
    ("El PDF del informe corta columnas",
     "Al exportar informes anchos a PDF se pierden las últimas columnas.",
     "Fallo conocido, está previsto en un parche próximo. El CSV sí trae todas las columnas."),
    ("El selector de fecha muestra formato de EE. UU.",
     "Los agentes tienen español configurado y el selector sale MM/DD.",
     "Registrado, gracias. El resto de la interfaz usa bien el formato."),
]

FEATURES: list[tuple[str, str, str]] = [
    ("Propuesta: programar respuestas",
     "Estaría bien escribir la respuesta ahora y que salga a las 8 hora del cliente.",
     "¡Gracias! Vota la idea en el tablero de ideas para que el equipo de producto lo vea."),
    ("Encuesta de satisfacción en el idioma del cliente",
     "Las encuestas siempre salen en el idioma de la cuenta.",
     "Está previsto junto con el trabajo de traducción del portal."),
]

SHOWS: list[tuple[str, str, list[str]]] = [
    ("Así quedó nuestro centro de ayuda nuevo",
     "Un mes de trabajo en el tema del portal: buscador arriba, menos categorías y el formulario de contacto al final. Bajaron bastante los tickets repetidos.",
     ["¡Quedó muy limpio!", "Lo del formulario al final es clave.", "¿Cómo mediste la bajada?"]),
    ("Un tablero en la pared con la API",
     "Una Raspberry y una tele con los tickets abiertos por grupo y la antigüedad del más viejo.",
     ["¡Qué buena idea! ¿Compartes el código?", "Nosotros hicimos algo parecido con una tablet."]),
    ("Traducimos todo el centro de ayuda al portugués",
     "150 artículos para nuestros clientes de Brasil, en dos meses.",
     ["Impresionante.", "¿Usaste la API o la interfaz?"]),
]

CHATS: list[tuple[str, str, list[str]]] = [
    ("¿Qué herramienta de soporte preferís y por qué?",
     "Estamos con Kestrel, pero la dirección pregunta si deberíamos mirar otras. ¿Qué usáis vosotros?",
     ["Kestrel desde hace cuatro años, la API es lo que nos retiene.", "Probamos otras dos y volvimos por las automatizaciones.",
      "La herramienta importa menos que cómo la configures."]),
    ("¿Cuántos agentes sois y cuántos tickets al día?",
     "Nosotros 6 agentes para unos 180 tickets diarios.",
     ["4 agentes, 70 al día, pero B2B complejo.", "15 agentes y 900 en temporada alta."]),
    ("Quedada de usuarios de Kestrel en Madrid",
     "¿Os apetece una quedada informal en diciembre?",
     ["¡Me apunto!", "Desde Buenos Aires lo veo difícil, pero subid fotos."]),
    ("¿Teletrabajo o oficina para el equipo de soporte?",
     "Estamos pensando en pasar a remoto del todo.",
     ["Remoto desde 2020 con reunión diaria, va bien.", "Híbrido, dos días de oficina."]),
]

WEEKLY_TITLE = ["Café del viernes ({date})", "Charla semanal — {date}"]
WEEKLY_BODY = ["¿Qué tal la semana? Logros, quejas y lo que no merezca un hilo propio.",
               "Espacio semanal para charlar de lo que sea."]
WEEKLY_OPEN = ["Esta semana:", "Semana tranquila, pero:", "Pequeño logro:", "Por fin:", "Novedad:"]
WEEKLY_WHAT = [
    "limpiamos las macros, de 120 a 30", "lanzamos el tema nuevo del portal", "el backlog bajó de 40 tickets",
    "formamos a dos agentes nuevos", "terminamos de traducir el centro de ayuda", "un cliente nos mandó alfajores",
    "la satisfacción llegó al 95 %", "borramos 30 etiquetas que nadie usaba", "montamos un panel para la dirección",
    "sobrevivimos al cierre de mes", "bajamos una hora el tiempo de primera respuesta",
]
WEEKLY_END = ["", " ¡Vamos!", " Qué semana.", " ¿Y vosotros?", " 🎉"]

ANNOUNCE_RELEASE_TITLE = ["Kestrel Desk {version} ya está disponible", "Novedades de Kestrel Desk {version}"]
ANNOUNCE_RELEASE_BODY = "Kestrel Desk {version} se está desplegando en todas las cuentas en la nube esta semana. Lo más destacado:\n\n{items}\n\nLas notas completas están en la documentación."
RELEASE_ITEMS = [
    "Nuevo: filtros de fecha relativa en las vistas", "Corregido: adjuntos de más de 10 MB", "Mejorado: búsqueda más rápida",
    "Nuevo: botón 'Borrar credenciales' en los buzones", "Corregido: vista previa de macros", "Mejorado: mensajes del asistente de importación",
    "Nuevo: filtros en el registro de entregas de webhooks", "Corregido: gráfico de satisfacción",
]
ANNOUNCE_OTHER = [
    ("Aviso: autorización de buzones después de la 8.4", "Algunos clientes ven KST-MAIL-401 tras cambiar la contraseña de buzones de Microsoft 365 o Google. Se resuelve reconectando el buzón con OAuth y reiniciando el worker de correo."),
]
ANNOUNCE_REPLIES = ["¡Gracias por el aviso!", "¿Para cuándo la versión instalable?", "Genial, lo esperábamos."]
