/** One phone number, 0901 888 484 (+84 901 888 484), in every spelling issue 22 lists and a few more. */
export const PHONE_SPELLINGS = [
  '+84 901 888 484', '0901.888.484', '+84+901+888+484', '%2B84%20901%20888%20484', '84901888484', '0901888484',
  '(+84) 901-888-484', '0084 901 888 484', '%252B84%2520901%2520888%2520484', '+84-901-888-484', '0901 888 484', '0901-888-484',
];

/** True when `text` still holds that number: its 9 significant digits, whatever separates or encodes them. */
export const holdsNumber = (text: string): boolean => {
  let decoded = text;
  for (let i = 0; i < 3; i += 1) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
  }
  return /9\D{0,6}0\D{0,6}1\D{0,6}8\D{0,6}8\D{0,6}8\D{0,6}4\D{0,6}8\D{0,6}4/.test(decoded);
};
