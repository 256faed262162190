"""Edit dialogs. They read lists from services and return records; they never save anything."""
