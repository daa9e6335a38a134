"""Telegram update handlers (python-telegram-bot), for users and admins."""
