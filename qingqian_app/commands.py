"""bench commands of the app (bench --site SITE <command>)."""

from qingqian_app.generate import generate_items

commands = [generate_items]
