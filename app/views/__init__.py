"""The desktop app: windows, dialogs and Qt item models. Only this package imports Qt; it calls
``app.services`` for everything the desk knows, always off the GUI thread (``operations``)."""
