import { type AdminSession, MIN_PASSWORD_LENGTH } from "@mcp-tools/core";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";

export interface LayoutProps {
  title: string;
  /** The signed-in person; the sign-in pages have none and show no navigation. */
  session?: AdminSession | undefined;
  /** The path of the page, to mark its navigation link. */
  current?: string;
  children?: Child;
}

interface NavItem {
  href: string;
  label: string;
  adminOnly?: boolean;
}

const nav: NavItem[] = [
  { href: "/", label: "Dashboard" },
  { href: "/tools", label: "Tools" },
  { href: "/prompts", label: "Prompts" },
  { href: "/keys", label: "Keys" },
  { href: "/secrets", label: "Secrets" },
  { href: "/audit", label: "Audit" },
  { href: "/sessions", label: "Sessions" },
  { href: "/tasks", label: "Tasks" },
  { href: "/notes", label: "Notes" },
  { href: "/users", label: "Users", adminOnly: true },
];

/** The page frame: stylesheet, navigation for the person's role, and the sign-out form. */
export function Layout({ title, session, current, children }: LayoutProps) {
  // Without a doctype browsers fall back to quirks mode.
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · mcp-tools admin`}</title>
          <link rel="stylesheet" href="/assets/app.css" />
        </head>
        <body>
          {session && <TopBar session={session} current={current} />}
          <main class={session ? undefined : "narrow"}>{children}</main>
        </body>
      </html>
    </>
  );
}

function TopBar({ session, current }: { session: AdminSession; current?: string | undefined }) {
  const items = nav.filter((item) => !item.adminOnly || session.user.role === "admin");
  return (
    <header class="top">
      <div class="bar">
        <a class="brand" href="/">
          mcp-tools
        </a>
        <nav class="main">
          {items.map((item) => (
            <a href={item.href} aria-current={item.href === current ? "page" : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <div class="who">
          <span>
            {session.user.username} <span class="tag">{session.user.role}</span>
          </span>
          <a href="/account/password" aria-current={current === "/account/password" ? "page" : undefined}>
            Password
          </a>
          <form class="inline" method="post" action="/logout">
            <CsrfField session={session} />
            <button class="secondary" type="submit">
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}

/** The hidden field every form of a signed-in page carries (see the csrf middleware). */
export function CsrfField({ session }: { session: AdminSession }) {
  return <input type="hidden" name="_csrf" value={session.csrfToken} />;
}

/** A labelled field for a password being chosen, with the length the server requires. */
export function NewPasswordField({ name, children }: { name: string; children: Child }) {
  return (
    <label>
      {children}
      <input
        name={name}
        type="password"
        autocomplete="new-password"
        minlength={MIN_PASSWORD_LENGTH}
        required
      />
    </label>
  );
}

/** A readable error or notice above a form. */
export function Message({ error, notice }: { error?: string | undefined; notice?: string | undefined }) {
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (notice) return <p class="notice">{notice}</p>;
  return null;
}
